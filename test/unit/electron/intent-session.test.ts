import { describe, expect, it } from 'vitest';
import { openIntentSession } from '../../../main/electron/intent-session.js';
import { FakeBridge, VIEW } from './fake-bridge.js';

describe('openIntentSession (ack adapter)', () => {
  it('delivers the current view at once and later ones after', () => {
    const bridge = new FakeBridge();
    const views: number[] = [];
    openIntentSession(bridge, (view) => views.push(view.seq));
    bridge.pushView({ ...VIEW, seq: 2 });
    expect(views).toEqual([1, 2]);
  });

  it('wraps the raw intent with ids it assigns, untouched', () => {
    const bridge = new FakeBridge();
    const session = openIntentSession(bridge, () => undefined);
    const hostile = { type: 'cash.dispense', amountMinor: 1e9 };
    void session.submit(hostile);
    void session.submit('not even an object');
    expect(bridge.only().frames).toEqual([
      { kind: 'intent', id: 1, intent: hostile },
      { kind: 'intent', id: 2, intent: 'not even an object' },
    ]);
  });

  it('resolves each submit with the ack carrying its id, whatever the order', async () => {
    const bridge = new FakeBridge();
    const session = openIntentSession(bridge, () => undefined);
    const first = session.submit({ type: 'ui.confirmed' });
    const second = session.submit({ type: 'ui.bogus' });
    const connection = bridge.only();
    connection.ack(2, { accepted: false, reason: 'invalid' });
    connection.ack(99, { accepted: true });
    connection.ack(1, { accepted: true });
    await expect(first).resolves.toEqual({ accepted: true });
    await expect(second).resolves.toEqual({ accepted: false, reason: 'invalid' });
  });

  it('settles an ack the runtime sends synchronously from receive', async () => {
    const bridge = new FakeBridge({ ackImmediately: { accepted: true } });
    const session = openIntentSession(bridge, () => undefined);
    await expect(session.submit({ type: 'ui.confirmed' })).resolves.toEqual({ accepted: true });
  });

  it('on close disconnects, rejects what is pending and refuses new submits', async () => {
    const bridge = new FakeBridge();
    const session = openIntentSession(bridge, () => undefined);
    const pending = session.submit({ type: 'ui.confirmed' });
    session.close();
    expect(bridge.only().closed).toBe(true);
    await expect(pending).rejects.toThrow(/closed/);
    await expect(session.submit({ type: 'ui.confirmed' })).rejects.toThrow(/closed/);
    expect(bridge.only().frames).toHaveLength(1);
  });
});
