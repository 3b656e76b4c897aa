import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Intent } from '../../../main/ipc-contract/intents.js';
import type { ServerMessage, SessionView } from '../../../main/ipc-contract/view.js';
import { RendererHub } from '../../../main/runtime/renderer-bridge.js';

const silent = pino({ level: 'silent' });

function rig(accept = true): { hub: RendererHub; handled: Intent[]; sent: ServerMessage[]; receive: (raw: unknown) => void } {
  const handled: Intent[] = [];
  const hub = new RendererHub((intent) => {
    handled.push(intent);
    return accept ? { accepted: true } : { accepted: false, reason: 'notApplicable' };
  }, silent);
  const sent: ServerMessage[] = [];
  const connection = hub.connect((m) => sent.push(m));
  return { hub, handled, sent, receive: (raw) => connection.receive(raw) };
}

describe('RendererHub: the runtime end of the kiosk API', () => {
  it('passes a valid intent to the session and acks it', () => {
    const { handled, sent, receive } = rig();
    receive(JSON.stringify({ kind: 'intent', id: 7, intent: { type: 'ui.languageSelected', language: 'en' } }));
    expect(handled).toEqual([{ type: 'ui.languageSelected', language: 'en' }]);
    expect(sent).toEqual([{ kind: 'ack', id: 7, ack: { accepted: true } }]);
  });

  it.each([
    ['not JSON', '{"kind":'],
    ['an unknown intent', JSON.stringify({ kind: 'intent', id: 1, intent: { type: 'device.dispense', amount: 100000 } })],
    ['extra fields', JSON.stringify({ kind: 'intent', id: 1, intent: { type: 'ui.cancelPressed', force: true } })],
    ['a negative amount', JSON.stringify({ kind: 'intent', id: 1, intent: { type: 'ui.amountEntered', amountMinor: -5 } })],
    ['a control character in text', JSON.stringify({ kind: 'intent', id: 1, intent: { type: 'ui.textEntered', field: 'payee', text: 'a\u0007' } })],
    ['an oversized frame', JSON.stringify({ kind: 'intent', id: 1, intent: { type: 'ui.textEntered', field: 'x', text: 'y'.repeat(5000) } })],
    ['a non-object', 42],
    ['null', null],
  ])('refuses %s without reaching the session', (_name, raw) => {
    const { handled, sent, receive } = rig();
    receive(raw);
    expect(handled).toEqual([]);
    for (const message of sent) expect(message).toMatchObject({ kind: 'ack', ack: { accepted: false, reason: 'invalid' } });
  });

  it('acks a refused-but-valid intent as not applicable', () => {
    const { sent, receive } = rig(false);
    receive({ kind: 'intent', id: 3, intent: { type: 'ui.confirmed' } });
    expect(sent).toEqual([{ kind: 'ack', id: 3, ack: { accepted: false, reason: 'notApplicable' } }]);
  });

  it('sends the current view on connect and every published view after', () => {
    const hub = new RendererHub(() => ({ accepted: true }), silent);
    const view = { seq: 1, screen: 'welcome' } as SessionView;
    hub.publish(view);
    const sent: ServerMessage[] = [];
    const connection = hub.connect((m) => sent.push(m));
    hub.publish({ ...view, seq: 2 });
    connection.close();
    hub.publish({ ...view, seq: 3 });
    expect(sent.map((m) => (m.kind === 'view' ? m.view.seq : -1))).toEqual([1, 2]);
    expect(hub.connections).toBe(0);
  });
});
