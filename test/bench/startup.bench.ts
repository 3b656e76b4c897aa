import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Start to in-service: launches the simulators and the kiosk runtime as
 * `./kiosk start` does (from the `npm run build` output) and measures, from the first spawn, how long until the
 * runtime reports "in service"; also the runtime's RSS at that point.
 */
export async function benchStartup(): Promise<{ startToInServiceMs: number; runtimeStartMs: number; rssMb: number }> {
  const stateDir = await mkdtemp(join(tmpdir(), 'kiosk-bench-'));
  const env = { ...process.env, KIOSK_STATE_DIR: stateDir, KIOSK_LOG_LEVEL: 'warn' };
  const t0 = performance.now();
  const sims = spawn(process.execPath, ['dist/simulators/launcher/main.js'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  await waitFor(sims.stdout, /simulators ready/);
  const kiosk = spawn(process.execPath, ['dist/main/cli/start-kiosk.js', '--state-dir', stateDir], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await waitFor(kiosk.stdout, /is (in service|OUT OF SERVICE) after (\d+) ms/);
  const startToInServiceMs = performance.now() - t0;
  const runtimeStartMs = Number(/after (\d+) ms/.exec(line)?.[1]);
  const rssMb = await rssOf(kiosk.pid);
  kiosk.kill('SIGTERM');
  sims.kill('SIGTERM');
  await rm(stateDir, { recursive: true, force: true });
  if (!line.includes('in service')) throw new Error(`kiosk did not reach service: ${line}`);
  return { startToInServiceMs: Math.round(startToInServiceMs), runtimeStartMs, rssMb };
}

function waitFor(stream: NodeJS.ReadableStream | null, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`timeout waiting for ${pattern}`)), 30_000);
    stream?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = buffer.split('\n').find((l) => pattern.test(l));
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
  });
}

async function rssOf(pid: number | undefined): Promise<number> {
  if (!pid) return Number.NaN;
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
  return Math.round((kb / 1024) * 10) / 10;
}
