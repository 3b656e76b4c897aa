import { Buffer } from 'node:buffer';
import type { Unsubscribe } from '../../drivers/common/events.js';
import type { ByteTransport } from '../../drivers/common/transport.js';

/*
 * vsmartcard's vpcd wire protocol, card side (host-crypto.md §4.4): every
 * message in both directions is a 2-byte big-endian length and a payload.
 * A 1-byte payload from vpcd is a control code: 00 power off, 01 power on,
 * 02 reset (no reply), 04 get ATR (reply with the ATR). Longer payloads are
 * command APDUs; the reply is the response APDU.
 */

export const VPCD_PORT = 35963;

const CONTROL = { powerOff: 0x00, powerOn: 0x01, reset: 0x02, getAtr: 0x04 } as const;

export interface VpcdCard {
  atr(): Uint8Array;
  powerOn(): void;
  powerOff(): void;
  reset(): void;
  apdu(command: Uint8Array): Uint8Array;
}

/** Serves one card over a connected byte transport until it closes. */
export class VpcdLink {
  private pending = Buffer.alloc(0);
  private readonly offData: Unsubscribe;

  constructor(
    private readonly transport: ByteTransport,
    private readonly card: VpcdCard,
  ) {
    this.offData = transport.onData((chunk) => this.receive(chunk));
  }

  stop(): void {
    this.offData();
  }

  private receive(chunk: Uint8Array): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 2) {
      const length = this.pending.readUInt16BE(0);
      if (this.pending.length < 2 + length) return;
      const payload = this.pending.subarray(2, 2 + length);
      this.pending = this.pending.subarray(2 + length);
      const reply = this.answer(payload);
      if (reply) void this.send(reply);
    }
  }

  private answer(payload: Buffer): Uint8Array | undefined {
    if (payload.length !== 1) return payload.length === 0 ? undefined : this.card.apdu(payload);
    switch (payload[0]) {
      case CONTROL.getAtr:
        return this.card.atr();
      case CONTROL.powerOn:
        this.card.powerOn();
        return undefined;
      case CONTROL.powerOff:
        this.card.powerOff();
        return undefined;
      case CONTROL.reset:
        this.card.reset();
        return undefined;
      default:
        return undefined;
    }
  }

  private async send(payload: Uint8Array): Promise<void> {
    const frame = Buffer.alloc(2 + payload.length);
    frame.writeUInt16BE(payload.length, 0);
    frame.set(payload, 2);
    // A write after the socket closed means the card was removed meanwhile: nothing to tell.
    await this.transport.write(frame).catch(() => undefined);
  }
}
