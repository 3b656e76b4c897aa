import { EventHub, type Unsubscribe } from '../../drivers/common/events.js';
import type { ApduTransport } from '../../drivers/common/transport.js';
import type { EmvApplet } from './emv-applet.js';

interface Events {
  presence: boolean;
  close: Error | undefined;
}

/**
 * An ApduTransport wired straight to an EmvApplet, for kernel tests without
 * pcscd: the same card logic the vpcd simulator serves, minus the sockets.
 */
export class MemoryCardTransport implements ApduTransport {
  readonly kind = 'memory' as const;
  readonly description = 'memory chip slot';
  private opened = false;
  private present = true;
  private powered = false;
  private readonly hub = new EventHub<Events>();

  constructor(private readonly applet: EmvApplet) {}

  get isOpen(): boolean {
    return this.opened;
  }

  open(): Promise<void> {
    this.opened = true;
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (this.opened) {
      this.opened = false;
      this.powered = false;
      this.hub.emit('close', undefined);
    }
    return Promise.resolve();
  }

  insert(): void {
    if (this.present) return;
    this.present = true;
    this.hub.emit('presence', true);
  }

  remove(): void {
    if (!this.present) return;
    this.present = false;
    this.powered = false;
    this.hub.emit('presence', false);
  }

  powerOn(): Promise<Uint8Array> {
    if (!this.opened) return Promise.reject(new Error(`${this.description} is not open`));
    if (!this.present) return Promise.reject(new Error('no card in the slot'));
    this.powered = true;
    this.applet.reset();
    return Promise.resolve(new Uint8Array(this.applet.atr()));
  }

  powerOff(): Promise<void> {
    this.powered = false;
    return Promise.resolve();
  }

  transmit(apdu: Uint8Array): Promise<Uint8Array> {
    if (!this.powered) return Promise.reject(new Error('card is not powered'));
    return Promise.resolve(new Uint8Array(this.applet.handle(apdu)));
  }

  onPresence(listener: (present: boolean) => void): Unsubscribe {
    return this.hub.on('presence', listener);
  }

  onClose(listener: (reason?: Error) => void): Unsubscribe {
    return this.hub.on('close', listener);
  }
}
