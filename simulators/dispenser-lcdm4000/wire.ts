/*
 * The dispenser's side of the LCDM-4000 link, written from protocols.md §1b
 * independently of the driver's codec: the host sends
 * `04 30 02 CMD DATA… 03 BCC`, the unit answers `01 30 02 CMD DATA… 03 BCC`,
 * BCC = XOR from the first byte to 03; 06 ACK, 15 NAK and 04 EOT travel alone.
 */
import { ByteReceiver } from '../common/byte-receiver.js';

export const HOST_START = 0x04;
export const UNIT_START = 0x01;
export const UNIT_ID = 0x30;
export const TEXT_START = 0x02;
export const TEXT_END = 0x03;
export const END_OF_TRANSMISSION = 0x04;
export const ACK_BYTE = 0x06;
export const NAK_BYTE = 0x15;
/** The unit's receive buffer; longer text cannot be a command. */
const LONGEST_DATA = 1100;

export function buildReply(cmd: number, data: readonly number[], corrupt = false): Uint8Array {
  const bytes = [UNIT_START, UNIT_ID, TEXT_START, cmd, ...data, TEXT_END];
  const check = bytes.reduce((x, b) => x ^ b, 0);
  return Uint8Array.from([...bytes, corrupt ? check ^ 0xff : check]);
}

export type WireEvent =
  | { readonly kind: 'ack' }
  | { readonly kind: 'nak' }
  | { readonly kind: 'frame'; readonly cmd: number; readonly data: number[] }
  | { readonly kind: 'corrupt' };

type State = 'idle' | 'id' | 'stx' | 'cmd' | 'data' | 'check';

/** A byte-at-a-time receiver, as the unit's UART interrupt would run it. */
export class WireReader extends ByteReceiver<WireEvent> {
  private state: State = 'idle';
  private bytes: number[] = [];

  protected step(byte: number): WireEvent | undefined {
    if (this.state === 'idle') {
      if (byte === ACK_BYTE) return { kind: 'ack' };
      if (byte === NAK_BYTE) return { kind: 'nak' };
      if (byte === HOST_START) {
        this.bytes = [byte];
        this.state = 'id';
      }
      return undefined;
    }
    this.bytes.push(byte);
    switch (this.state) {
      case 'id':
        if (byte !== UNIT_ID) return this.abandon();
        this.state = 'stx';
        return undefined;
      case 'stx':
        if (byte !== TEXT_START) return this.abandon();
        this.state = 'cmd';
        return undefined;
      case 'cmd':
        this.state = 'data';
        return undefined;
      case 'data':
        if (byte === TEXT_END) this.state = 'check';
        else if (byte < 0x20 || this.bytes.length > LONGEST_DATA) return this.abandon();
        return undefined;
      case 'check': {
        this.state = 'idle';
        const body = this.bytes.slice(0, -1);
        if (body.reduce((x, b) => x ^ b, 0) !== byte) return { kind: 'corrupt' };
        return { kind: 'frame', cmd: body[3] ?? 0, data: body.slice(4, -1) };
      }
    }
  }

  private abandon(): WireEvent {
    this.state = 'idle';
    return { kind: 'corrupt' };
  }
}
