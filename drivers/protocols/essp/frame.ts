import { crcBytes } from './crc.js';

/** Start of every packet; doubled when it occurs anywhere after the leading STX. */
export const STX = 0x7f;
/** Bit 7 of the SEQ/ID byte: the sequence flag the host toggles per new command. */
export const SEQ_FLAG = 0x80;
/** Address of a note validator / SMART Payout (bits 0–6 of SEQ/ID). */
export const VALIDATOR_ADDRESS = 0x00;

/** One unstuffed packet: sequence flag, slave address and the DATA bytes. */
export interface EsspFrame {
  readonly seq: boolean;
  readonly address: number;
  readonly data: Uint8Array;
}

/** STX | SEQ/ID | LEN | DATA | CRCL CRCH, with every 0x7F after STX doubled (GA138 transport layer). */
export function encodeFrame(frame: EsspFrame): Uint8Array {
  if (frame.data.length === 0 || frame.data.length > 255) throw new RangeError('eSSP DATA must be 1..255 bytes');
  const body = Uint8Array.of((frame.seq ? SEQ_FLAG : 0) | (frame.address & 0x7f), frame.data.length, ...frame.data);
  const unstuffed = [...body, ...crcBytes(body)];
  const out = [STX];
  for (const byte of unstuffed) {
    out.push(byte);
    if (byte === STX) out.push(STX);
  }
  return Uint8Array.from(out);
}

/** Why bytes were dropped by the decoder; the stream continues with the next STX. */
export type EsspFrameErrorKind = 'badCrc' | 'noise' | 'restart' | 'emptyData';

export type EsspDecoded =
  | { readonly kind: 'frame'; readonly frame: EsspFrame }
  | { readonly kind: 'error'; readonly error: EsspFrameErrorKind; readonly bytes: number };

/**
 * Byte-stream decoder with resync: bytes before STX are noise; a lone 0x7F
 * inside a packet (one not followed by another 0x7F) starts a new packet, as
 * GA138 tells the receiver; a bad CRC drops the packet. Never throws.
 */
export class EsspStreamDecoder {
  private body: number[] = [];
  private inFrame = false;
  /** The previous byte was a 0x7F inside a packet: either a stuffed pair or a restart. */
  private pendingStx = false;
  private noise = 0;

  push(chunk: Uint8Array): EsspDecoded[] {
    const out: EsspDecoded[] = [];
    for (const byte of chunk) this.take(byte, out);
    if (this.noise > 0 && !this.inFrame) this.flushNoise(out);
    return out;
  }

  private take(byte: number, out: EsspDecoded[]): void {
    if (!this.inFrame) {
      if (byte === STX) {
        this.flushNoise(out);
        this.start();
      } else this.noise++;
      return;
    }
    if (this.pendingStx) {
      this.pendingStx = false;
      if (byte !== STX) {
        // A lone STX: what came before was a broken packet; this byte follows a fresh STX.
        out.push({ kind: 'error', error: 'restart', bytes: this.body.length + 1 });
        this.start();
        this.append(byte, out);
        return;
      }
      this.append(STX, out);
      return;
    }
    if (byte === STX) {
      this.pendingStx = true;
      return;
    }
    this.append(byte, out);
  }

  private append(byte: number, out: EsspDecoded[]): void {
    this.body.push(byte);
    if (this.body.length < 2) return;
    const total = 2 + this.body[1]! + 2;
    if (this.body.length < total) return;
    const body = Uint8Array.from(this.body.slice(0, total - 2));
    const [lo, hi] = crcBytes(body);
    const ok = lo === this.body[total - 2] && hi === this.body[total - 1];
    this.inFrame = false;
    this.body = [];
    if (!ok) out.push({ kind: 'error', error: 'badCrc', bytes: total + 1 });
    else if (body.length === 2) out.push({ kind: 'error', error: 'emptyData', bytes: total + 1 });
    else {
      const seqId = body[0]!;
      out.push({ kind: 'frame', frame: { seq: (seqId & SEQ_FLAG) !== 0, address: seqId & 0x7f, data: body.slice(2) } });
    }
  }

  private start(): void {
    this.inFrame = true;
    this.pendingStx = false;
    this.body = [];
  }

  private flushNoise(out: EsspDecoded[]): void {
    if (this.noise === 0) return;
    out.push({ kind: 'error', error: 'noise', bytes: this.noise });
    this.noise = 0;
  }
}
