/*
 * The reader's side of the Creator C/P/N link, written from protocols.md §3a
 * independently of the driver's codec: frames are `F2 ADDR LENH LENL TEXT 03 BCC`
 * with BCC = XOR from F2 to 03; 06 ACK, 15 NAK and 05 ENQ travel alone.
 */
import { ByteReceiver } from '../common/byte-receiver.js';

export const FRAME_START = 0xf2;
export const FRAME_END = 0x03;
export const ACK_BYTE = 0x06;
export const NAK_BYTE = 0x15;
export const ENQ_BYTE = 0x05;
/** The reader's receive buffer; a longer announced text cannot be a command. */
const LONGEST_COMMAND_TEXT = 256;

/** Builds a frame; `corrupt` flips the check byte (fault injection). */
export function buildFrame(address: number, text: readonly number[], corrupt = false): Uint8Array {
  const bytes = [FRAME_START, address, (text.length >> 8) & 0xff, text.length & 0xff, ...text, FRAME_END];
  const check = bytes.reduce((x, b) => x ^ b, 0);
  return Uint8Array.from([...bytes, corrupt ? check ^ 0xff : check]);
}

export type WireEvent =
  | { readonly kind: 'enq' }
  | { readonly kind: 'frame'; readonly address: number; readonly text: number[] }
  /** A frame whose length, ETX or check byte was wrong: the reader answers NAK. */
  | { readonly kind: 'corrupt' };

type ReadState =
  | { readonly at: 'idle' }
  | { readonly at: 'address' }
  | { readonly at: 'lengthHigh' }
  | { readonly at: 'lengthLow'; readonly high: number }
  | { readonly at: 'text'; readonly length: number }
  | { readonly at: 'end' }
  | { readonly at: 'check' };

/** A byte-at-a-time receiver, as the reader's UART interrupt would run it. */
export class WireReader extends ByteReceiver<WireEvent> {
  private state: ReadState = { at: 'idle' };
  private bytes: number[] = [];
  private text: number[] = [];

  protected step(byte: number): WireEvent | undefined {
    const s = this.state;
    if (s.at === 'idle') {
      if (byte === ENQ_BYTE) return { kind: 'enq' };
      if (byte === FRAME_START) {
        this.bytes = [byte];
        this.text = [];
        this.state = { at: 'address' };
      }
      return undefined;
    }
    this.bytes.push(byte);
    switch (s.at) {
      case 'address':
        this.state = { at: 'lengthHigh' };
        return undefined;
      case 'lengthHigh':
        this.state = { at: 'lengthLow', high: byte };
        return undefined;
      case 'lengthLow': {
        const length = (s.high << 8) | byte;
        if (length > LONGEST_COMMAND_TEXT) return this.abandon();
        this.state = length === 0 ? { at: 'end' } : { at: 'text', length };
        return undefined;
      }
      case 'text':
        this.text.push(byte);
        if (this.text.length === s.length) this.state = { at: 'end' };
        return undefined;
      case 'end':
        if (byte !== FRAME_END) return this.abandon();
        this.state = { at: 'check' };
        return undefined;
      case 'check': {
        this.state = { at: 'idle' };
        const check = this.bytes.slice(0, -1).reduce((x, b) => x ^ b, 0);
        return check === byte ? { kind: 'frame', address: this.bytes[1] ?? 0, text: this.text } : { kind: 'corrupt' };
      }
    }
  }

  private abandon(): WireEvent {
    this.state = { at: 'idle' };
    return { kind: 'corrupt' };
  }
}
