import { existsSync } from 'node:fs';
import { pino } from 'pino';
import { startBrowserHost, type BrowserHost } from '../../../../main/browser-host/server.js';
import type { Intent } from '../../../../main/ipc-contract/intents.js';
import type { SessionView } from '../../../../main/ipc-contract/view.js';
import { RendererHub } from '../../../../main/runtime/renderer-bridge.js';

export interface ScreenHost {
  /** The kiosk page with this host's boot token. */
  readonly url: string;
  /** Publishes a view with the next sequence number; returns that number. */
  show(view: Omit<SessionView, 'seq'>): number;
  /** Intents the page sent, oldest first. */
  readonly intents: Intent[];
  close(): Promise<void>;
}

/**
 * The real browser host and bridge with no runtime behind them: the test
 * publishes whatever view it likes through a RendererHub and reads the
 * intents the page sends over the real WebSocket.
 */
export async function startScreenHost(rendererDir = 'dist/renderer'): Promise<ScreenHost> {
  if (!existsSync(`${rendererDir}/index.html`)) {
    throw new Error(`${rendererDir} is missing: run \`npm run build:renderer\` first`);
  }
  const intents: Intent[] = [];
  const log = pino({ level: 'silent' });
  const hub = new RendererHub((intent) => {
    intents.push(intent);
    return { accepted: true };
  }, log);
  const host: BrowserHost = await startBrowserHost({ bridge: hub, rendererDir, port: 0, log });
  let seq = 0;
  return {
    url: host.url,
    intents,
    show(view) {
      seq += 1;
      hub.publish({ ...view, seq });
      return seq;
    },
    close: () => host.close(),
  };
}
