import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerKioskIpc, type KioskIpc } from '../../../main/electron/ipc.js';
import { IPC_CHANNELS } from '../../../main/ipc-contract/kiosk-api.js';
import { FakeBridge, VIEW } from './fake-bridge.js';
import { FakeWebContents, ipcMain } from './fake-electron.js';

vi.mock('electron', () => import('./fake-electron.js'));

interface Frame {
  url: string;
  parent: Frame | null;
}
const topFrame = (url: string): Frame => ({ url, parent: null });
const KIOSK_FRAME = topFrame('app://kiosk/index.html');

let bridge: FakeBridge;
let ipc: KioskIpc;
const log = vi.fn();

beforeEach(() => {
  bridge = new FakeBridge();
  log.mockClear();
  ipc = registerKioskIpc(bridge, log);
});
afterEach(() => ipc.dispose());

function ready(sender: FakeWebContents, senderFrame: Frame | null = KIOSK_FRAME): void {
  ipcMain.listeners.get(IPC_CHANNELS.ready)?.({ sender, senderFrame });
}
function intent(sender: FakeWebContents, payload: unknown, senderFrame: Frame | null = KIOSK_FRAME): Promise<unknown> {
  const handler = ipcMain.handlers.get(IPC_CHANNELS.intent);
  if (handler === undefined) throw new Error('no intent handler');
  // ipcMain.handle turns a throw into a rejected invoke; so does this.
  return Promise.resolve().then(() => handler({ sender, senderFrame }, payload));
}

describe('registerKioskIpc', () => {
  it('listens on the renderer→main channels of IPC_CHANNELS and nothing else', () => {
    expect([...ipcMain.listeners.keys(), ...ipcMain.handlers.keys()].sort()).toEqual(
      [IPC_CHANNELS.intent, IPC_CHANNELS.ready].sort(),
    );
  });

  it('on ready connects the page to the runtime and streams views on the view channel', () => {
    const page = new FakeWebContents();
    ready(page);
    expect(page.send).toHaveBeenCalledWith(IPC_CHANNELS.view, VIEW);
    bridge.pushView({ ...VIEW, seq: 2 });
    expect(page.send).toHaveBeenLastCalledWith(IPC_CHANNELS.view, { ...VIEW, seq: 2 });
  });

  it.each([
    ['another origin', topFrame('https://evil.example/')],
    ['another app host', topFrame('app://evil/index.html')],
    ['a file page', topFrame('file:///tmp/index.html')],
    ['a sub-frame of the kiosk page', { url: 'app://kiosk/frame.html', parent: KIOSK_FRAME }],
    ['a destroyed frame', null],
  ])('refuses an intent from %s', async (_name, frame) => {
    const page = new FakeWebContents();
    ready(page);
    await expect(intent(page, { type: 'ui.confirmed' }, frame)).rejects.toThrow(/untrusted sender/);
    expect(bridge.only().frames).toEqual([]);
    expect(log).toHaveBeenCalledWith('ipc.refused', expect.objectContaining({ channel: IPC_CHANNELS.intent }));
  });

  it('ignores ready from a foreign origin', () => {
    ready(new FakeWebContents(), topFrame('https://evil.example/'));
    expect(bridge.connections).toEqual([]);
  });

  it('returns the ack of the forwarded intent as the invoke result', async () => {
    const page = new FakeWebContents();
    ready(page);
    const first = intent(page, { type: 'ui.confirmed' });
    const second = intent(page, { type: 'ui.cancelPressed' });
    await vi.waitFor(() => expect(bridge.only().frames).toHaveLength(2));
    const connection = bridge.only();
    connection.ack(2, { accepted: false, reason: 'notApplicable' });
    connection.ack(1, { accepted: true });
    await expect(first).resolves.toEqual({ accepted: true });
    await expect(second).resolves.toEqual({ accepted: false, reason: 'notApplicable' });
    expect(connection.frames).toEqual([
      { kind: 'intent', id: 1, intent: { type: 'ui.confirmed' } },
      { kind: 'intent', id: 2, intent: { type: 'ui.cancelPressed' } },
    ]);
  });

  it('refuses an intent before the page sent ready', async () => {
    await expect(intent(new FakeWebContents(), { type: 'ui.confirmed' })).rejects.toThrow(/ready/);
  });

  it('replaces the connection on reload and closes it when the page is destroyed', () => {
    const page = new FakeWebContents();
    ready(page);
    ready(page);
    const [beforeReload, afterReload] = bridge.connections;
    expect(beforeReload?.closed).toBe(true);
    expect(afterReload?.closed).toBe(false);
    page.destroy();
    expect(afterReload?.closed).toBe(true);
  });

  it('keeps pages apart', async () => {
    const a = new FakeWebContents();
    const b = new FakeWebContents();
    ready(a);
    ready(b);
    // Left unanswered; afterEach's dispose rejects it.
    intent(b, { type: 'ui.confirmed' }).catch(() => undefined);
    await vi.waitFor(() => expect(bridge.connections[1]?.frames).toHaveLength(1));
    expect(bridge.connections[0]?.frames).toEqual([]);
  });

  it('dispose unregisters the channels and disconnects every page', () => {
    const page = new FakeWebContents();
    ready(page);
    ipc.dispose();
    expect(ipcMain.listeners.size + ipcMain.handlers.size).toBe(0);
    expect(bridge.only().closed).toBe(true);
    ipc = registerKioskIpc(bridge, log);
  });
});

