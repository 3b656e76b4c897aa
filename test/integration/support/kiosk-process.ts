import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { WebSocket } from 'ws';
import type { Intent } from '../../../main/ipc-contract/intents.js';
import type { ServerMessage, SessionView } from '../../../main/ipc-contract/view.js';

/**
 * The kiosk runtime as a separate process (the esbuild output), driven like a
 * renderer over its WebSocket bridge: for tests that kill it.
 */
export interface KioskProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  readonly views: SessionView[];
  intent(intent: Intent): void;
  waitForView(predicate: (view: SessionView) => boolean, timeoutMs?: number): Promise<SessionView | undefined>;
  stop(): Promise<void>;
}

const ENTRY = 'dist/main/cli/start-kiosk.js';

export async function startKioskProcess(
  stateDir: string,
  hostPort: number,
  env: Record<string, string> = {},
): Promise<KioskProcess> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [ENTRY, '--state-dir', stateDir], {
    env: { ...process.env, KIOSK_LOG_LEVEL: 'warn', KIOSK_HOST_PORT: String(hostPort), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<URL>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('Open: '));
      if (line) resolve(new URL(line.slice('Open: '.length).trim()));
    });
    void exited.then((code) => reject(new Error(`kiosk exited (${code}) before it was ready: ${out}`)));
  });
  const ws = new WebSocket(`ws://${url.host}/bridge?token=${url.searchParams.get('token') ?? ''}`, {
    headers: { origin: url.origin },
  });
  const views: SessionView[] = [];
  const watchers = new Set<() => void>();
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as ServerMessage;
    if (message.kind !== 'view') return;
    views.push(message.view);
    for (const w of watchers) w();
  });
  ws.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let id = 1;
  return {
    child,
    exited,
    views,
    intent(intent) {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ kind: 'intent', id: id++, intent }));
    },
    /** Resolves with the view, or undefined when the process died first or the time ran out. */
    waitForView(predicate, timeoutMs = 10_000) {
      return new Promise((resolve) => {
        const check = (): void => {
          const latest = views.at(-1);
          if (latest && predicate(latest)) done(latest);
        };
        const done = (view: SessionView | undefined): void => {
          watchers.delete(check);
          clearTimeout(timer);
          resolve(view);
        };
        const timer = setTimeout(() => done(undefined), timeoutMs);
        void exited.then(() => done(undefined));
        watchers.add(check);
        check();
      });
    },
    async stop() {
      ws.close();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
