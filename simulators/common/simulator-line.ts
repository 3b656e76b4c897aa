import type { Unsubscribe } from '../../drivers/common/events.js';
import type { ByteTransport } from '../../drivers/common/transport.js';

/**
 * A simulator's end of its line: `attach` opens it and hands every chunk to
 * the simulator's receiver, `detach` stops listening and closes it. While
 * detached, `transport` is undefined and what the simulator sends is lost,
 * as on an unplugged cable.
 */
export class SimulatorLine {
  private attached: ByteTransport | undefined;
  private offData: Unsubscribe | undefined;

  constructor(private readonly receive: (chunk: Uint8Array) => void) {}

  get transport(): ByteTransport | undefined {
    return this.attached;
  }

  async attach(transport: ByteTransport): Promise<void> {
    await transport.open();
    this.attached = transport;
    this.offData = transport.onData((chunk) => this.receive(chunk));
  }

  async detach(): Promise<void> {
    this.offData?.();
    this.offData = undefined;
    await this.attached?.close();
    this.attached = undefined;
  }
}
