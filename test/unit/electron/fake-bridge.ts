import type { IntentAck, ServerMessage, SessionView } from '../../../main/ipc-contract/view.js';
import type { RendererBridge, RendererConnection } from '../../../main/runtime/bridge.js';

export const VIEW: SessionView = {
  seq: 1,
  screen: 'welcome',
  language: 'zh-CN',
  availability: {
    inService: true,
    withdrawal: true,
    deposit: true,
    transfer: true,
    balance: true,
    receipts: true,
    reasons: [],
  },
  devices: [],
  accessibility: { elderly: false, highContrast: false, voice: false },
  options: [],
  data: {},
  moreTime: false,
  kioskId: 'K-TEST-01',
};

export class FakeConnection implements RendererConnection {
  readonly frames: unknown[] = [];
  closed = false;
  constructor(
    private readonly send: (message: ServerMessage) => void,
    private readonly ackImmediately?: IntentAck,
  ) {}
  receive(raw: unknown): void {
    this.frames.push(raw);
    if (this.ackImmediately !== undefined) this.ack((raw as { id: number }).id, this.ackImmediately);
  }
  close(): void {
    this.closed = true;
  }
  ack(id: number, ack: IntentAck): void {
    this.send({ kind: 'ack', id, ack });
  }
  view(view: SessionView): void {
    if (!this.closed) this.send({ kind: 'view', view });
  }
}

/** A runtime that records frames and lets the test decide when to ack. */
export class FakeBridge implements RendererBridge {
  readonly connections: FakeConnection[] = [];
  constructor(private readonly options: { ackImmediately?: IntentAck } = {}) {}
  connect(send: (message: ServerMessage) => void): RendererConnection {
    const connection = new FakeConnection(send, this.options.ackImmediately);
    this.connections.push(connection);
    send({ kind: 'view', view: VIEW });
    return connection;
  }
  pushView(view: SessionView): void {
    for (const connection of this.connections) connection.view(view);
  }
  only(): FakeConnection {
    if (this.connections.length !== 1) throw new Error(`${this.connections.length} connections`);
    return this.connections[0]!;
  }
}
