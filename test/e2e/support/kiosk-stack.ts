import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig, type KioskConfig } from '../../../main/runtime/config.js';

export interface KioskStack {
  /** The kiosk page with its boot token. */
  readonly url: string;
  /** The simulators' developer API. */
  readonly controlUrl: string;
  control(device: string, action: string, body: unknown): Promise<unknown>;
  /** A simulator's snapshot (`GET /sim/<device>`). */
  device<T = Record<string, unknown>>(device: string): Promise<T>;
  stop(): Promise<void>;
}

export interface KioskStackOptions {
  /** Customer-wait timeouts to override, e.g. short ones to see "need more time?" and a card capture. */
  readonly timeouts?: Partial<KioskConfig['timeouts']>;
}

/**
 * Starts the simulators and the kiosk as separate processes, exactly as the
 * README's start command does, in a fresh state folder.
 */
export async function startKioskStack(options: KioskStackOptions = {}): Promise<KioskStack> {
  const stateDir = await mkdtemp(join(tmpdir(), 'kiosk-e2e-'));
  // Port 0: the host simulator takes a free port and the kiosk is told which (KIOSK_HOST_PORT).
  const env = { ...process.env, KIOSK_STATE_DIR: stateDir, KIOSK_LOG_LEVEL: 'warn', KIOSK_SIM_HOST_PORT: '0' };
  const simulators = spawn(process.execPath, [built('simulators/launcher/main.js')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  await waitForLine(simulators, /^simulators ready/);
  const manifest = JSON.parse(await readFile(join(stateDir, 'run', 'simulators.json'), 'utf8')) as {
    controlUrl: string;
    tcpServices: { host: number; scanner: number };
  };
  const { host: hostPort, scanner: scannerPort } = manifest.tcpServices;
  const config = options.timeouts && (await writeConfig(stateDir, hostPort, scannerPort, options.timeouts));
  const kiosk = spawn(process.execPath, [built('main/cli/start-kiosk.js'), '--state-dir', stateDir, ...(config ? ['--config', config] : [])], {
    env: { ...env, KIOSK_HOST_PORT: String(hostPort), KIOSK_SCANNER_PORT: String(scannerPort) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const openLine = await waitForLine(kiosk, /^Open: /);
  const url = openLine.replace(/^Open: /, '').trim();
  return {
    url,
    controlUrl: manifest.controlUrl,
    async control(device, action, body) {
      const res = await fetch(`${manifest.controlUrl}/sim/${device}/${action}`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`simulator ${device}/${action}: ${res.status} ${await res.text()}`);
      return res.json();
    },
    async device<T>(device: string): Promise<T> {
      const res = await fetch(`${manifest.controlUrl}/sim/${device}`);
      if (!res.ok) throw new Error(`simulator ${device}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    async stop() {
      await Promise.all([stopProcess(kiosk), stopProcess(simulators)]);
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** The embedded default configuration with other timeouts, as a file for `--config`. */
async function writeConfig(
  stateDir: string,
  hostPort: number,
  scannerPort: number,
  timeouts: Partial<KioskConfig['timeouts']>,
): Promise<string> {
  const base = defaultConfig(stateDir, hostPort, scannerPort);
  const path = join(stateDir, 'kiosk-config.json');
  await writeFile(path, JSON.stringify({ ...base, timeouts: { ...base.timeouts, ...timeouts } }, null, 2));
  return path;
}

/** The esbuild output of an entry point; `npm run build` makes it. */
function built(entry: string): string {
  const path = join('dist', entry);
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first`);
  return path;
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}: ${buffer}`)), timeoutMs);
    child.once('exit', (code) => reject(new Error(`process exited (${code}) before ${pattern}: ${buffer}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => pattern.test(l));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    });
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
