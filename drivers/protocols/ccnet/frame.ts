import { crc16Kermit } from './crc.js';

export const SYNC = 0x02;
/** Peripheral address of a bill validator. */
export const BILL_VALIDATOR = 0x03;
/** Longest frame this codec accepts (LNG is one byte; long frames are not used by a validator). */
const MAX_LENGTH = 250;

export interface CcnetFrame {
  readonly address: number;
  /** CMD/state byte followed by its data. */
  readonly data: Uint8Array;
}

/** SYNC | ADR | LNG (whole frame incl. CRC) | DATA | CRC-16/KERMIT LE. */
export function encodeFrame(frame: CcnetFrame): Uint8Array {
  const length = frame.data.length + 5;
  if (frame.data.length === 0 || length > MAX_LENGTH) throw new RangeError('CCNET DATA must be 1..245 bytes');
  const head = Uint8Array.of(SYNC, frame.address, length, ...frame.data);
  const crc = crc16Kermit(head);
  return Uint8Array.of(...head, crc & 0xff, crc >> 8);
}

export const ACK = 0x00;
export const NAK = 0xff;

export type CcnetDecoded =
  | { readonly kind: 'frame'; readonly frame: CcnetFrame }
  | { readonly kind: 'error'; readonly error: 'noise' | 'badCrc' | 'badLength'; readonly bytes: number };

/**
 * Stream decoder with resync: bytes that do not start a frame are noise; a
 * bad CRC or impossible length drops only the SYNC byte, so a real frame that
 * began inside the bad one is still found. Never throws.
 */
export class CcnetStreamDecoder {
  private buffer: number[] = [];

  push(chunk: Uint8Array): CcnetDecoded[] {
    this.buffer.push(...chunk);
    const out: CcnetDecoded[] = [];
    for (;;) {
      const start = this.buffer.indexOf(SYNC);
      if (start < 0) {
        if (this.buffer.length > 0) out.push({ kind: 'error', error: 'noise', bytes: this.buffer.length });
        this.buffer = [];
        return out;
      }
      if (start > 0) {
        out.push({ kind: 'error', error: 'noise', bytes: start });
        this.buffer = this.buffer.slice(start);
      }
      if (this.buffer.length < 3) return out;
      const length = this.buffer[2]!;
      if (length < 6 || length > MAX_LENGTH) {
        out.push({ kind: 'error', error: 'badLength', bytes: 1 });
        this.buffer = this.buffer.slice(1);
        continue;
      }
      if (this.buffer.length < length) return out;
      const bytes = Uint8Array.from(this.buffer.slice(0, length));
      const crc = crc16Kermit(bytes.subarray(0, length - 2));
      if ((crc & 0xff) !== bytes[length - 2] || crc >> 8 !== bytes[length - 1]) {
        out.push({ kind: 'error', error: 'badCrc', bytes: 1 });
        this.buffer = this.buffer.slice(1);
        continue;
      }
      this.buffer = this.buffer.slice(length);
      out.push({ kind: 'frame', frame: { address: bytes[1]!, data: bytes.slice(3, length - 2) } });
    }
  }
}
