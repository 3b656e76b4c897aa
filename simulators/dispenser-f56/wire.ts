/*
 * The unit's side of the F56 link, written from protocols.md §1c apart from
 * the driver's codec: `10 02 | LEN(2) | DATA | 10 03 | CRC lo hi`, 0x10 doubled
 * inside LEN and DATA, CRC-16/KERMIT (bit by bit here) over LEN..DATA 10 03;
 * `10 05` ENQ, `10 06` ACK, `10 15` NAK.
 */
import { ByteReceiver } from '../common/byte-receiver.js';

export const DLE = 0x10;
const STX = 0x02;
const ETX = 0x03;
export const ENQ = 0x05;
export const ACK = 0x06;
export const NAK = 0x15;
const LONGEST = 1200;

export function kermit(bytes: readonly number[]): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return crc;
}

export function buildFrame(data: readonly number[]): Uint8Array {
  const plain = [(data.length >> 8) & 0xff, data.length & 0xff, ...data];
  const crc = kermit([...plain, DLE, ETX]);
  const stuffed = plain.flatMap((b) => (b === DLE ? [DLE, DLE] : [b]));
  return Uint8Array.from([DLE, STX, ...stuffed, DLE, ETX, crc & 0xff, crc >> 8]);
}

export type WireEvent =
  | { readonly kind: 'enq' | 'ack' | 'nak' }
  | { readonly kind: 'frame'; readonly data: number[] }
  | { readonly kind: 'corrupt' };

type State = 'idle' | 'escape' | 'body' | 'bodyEscape' | 'crc1' | 'crc2';

/** Byte-at-a-time receiver. */
export class WireReader extends ByteReceiver<WireEvent> {
  private state: State = 'idle';
  private plain: number[] = [];
  private crcLow = 0;

  protected step(byte: number): WireEvent | undefined {
    switch (this.state) {
      case 'idle':
        if (byte === DLE) this.state = 'escape';
        return undefined;
      case 'escape':
        this.state = 'idle';
        if (byte === ENQ) return { kind: 'enq' };
        if (byte === ACK) return { kind: 'ack' };
        if (byte === NAK) return { kind: 'nak' };
        if (byte === STX) {
          this.plain = [];
          this.state = 'body';
        }
        return undefined;
      case 'body':
        if (byte === DLE) this.state = 'bodyEscape';
        else this.plain.push(byte);
        if (this.plain.length > LONGEST) return this.abandon();
        return undefined;
      case 'bodyEscape':
        if (byte === DLE) {
          this.plain.push(DLE);
          this.state = 'body';
        } else if (byte === ETX) this.state = 'crc1';
        else return this.abandon();
        return undefined;
      case 'crc1':
        this.crcLow = byte;
        this.state = 'crc2';
        return undefined;
      case 'crc2': {
        this.state = 'idle';
        const length = ((this.plain[0] ?? 0) << 8) | (this.plain[1] ?? 0);
        const good = this.plain.length >= 2 && length === this.plain.length - 2 && kermit([...this.plain, DLE, ETX]) === (this.crcLow | (byte << 8));
        return good ? { kind: 'frame', data: this.plain.slice(2) } : { kind: 'corrupt' };
      }
    }
  }

  private abandon(): WireEvent {
    this.state = 'idle';
    return { kind: 'corrupt' };
  }
}
