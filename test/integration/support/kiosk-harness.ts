import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Intent } from '../../../main/ipc-contract/intents.js';
import type { IntentAck, ServerMessage, SessionView } from '../../../main/ipc-contract/view.js';
import { defaultConfig, type KioskConfig } from '../../../main/runtime/config.js';
import { startKioskRuntime, type KioskRuntime } from '../../../main/runtime/compose.js';
import { startSimulators, type RunningSimulators, type SimulatorSetOptions } from '../../../simulators/launcher/simulator-set.js';

/**
 * The whole kiosk in one test process: every simulator on its own socat pty
 * pair, the host simulator on loopback TCP, and the runtime with the default
 * configuration pointed at them. The test is the renderer: it sends intents
 * and watches views, and it is the customer at the simulators' developer API.
 */
export interface KioskHarness {
  /** The runtime now running (a new one after `restart`). */
  readonly runtime: KioskRuntime;
  readonly simulators: RunningSimulators;
  readonly config: KioskConfig;
  readonly views: SessionView[];
  intent(intent: Intent): Promise<IntentAck>;
  /** Waits until the latest view satisfies `predicate`. */
  waitForView(predicate: (view: SessionView) => boolean, timeoutMs?: number): Promise<SessionView>;
  control(device: string, action: string, body?: unknown): Promise<unknown>;
  /** Polls a simulator's state until `predicate` holds, as a customer waits for the device's prompt. */
  waitForDevice(
    device: string,
    predicate: (state: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<void>;
  /** Stops the runtime and starts a fresh one on the same state folder and simulators, as after a reboot. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Short customer timeouts so that timeout paths run in a test's time. */
export const SHORT_TIMEOUTS = {
  customerMs: 1500,
  moreTimePromptMs: 1000,
  takeCardMs: 1500,
  takeCashMs: 1500,
  noticeMs: 500,
  elderlyFactor: 2,
};

export async function startKioskHarness(
  /** Replaces parts of the default configuration; a function receives that default. */
  overrides: Partial<KioskConfig> | ((base: KioskConfig) => Partial<KioskConfig>) = {},
  /** Runs after the simulators start and before the runtime does (load cassettes, seed the host). */
  prepareSimulators?: (simulators: RunningSimulators) => Promise<void> | void,
  simulatorOptions: Pick<SimulatorSetOptions, 'mechanics' | 'tap'> = {},
): Promise<KioskHarness> {
  const stateDir = await mkdtemp(join(tmpdir(), 'kiosk-flow-'));
  const simulators = await startSimulators({ runDir: join(stateDir, 'run'), tcpPorts: { host: 0, scanner: 0 }, ...simulatorOptions });
  await prepareSimulators?.(simulators);
  const hostPort = simulators.tcpPorts.get('host');
  const scannerPort = simulators.tcpPorts.get('scanner');
  if (hostPort === undefined || scannerPort === undefined) throw new Error('no host or scanner simulator');
  const base = defaultConfig(stateDir, hostPort, scannerPort);
  const config = { ...base, ...(typeof overrides === 'function' ? overrides(base) : overrides) };
  const views: SessionView[] = [];
  const acks = new Map<number, (ack: IntentAck) => void>();
  const watchers = new Set<() => void>();
  const boot = () => {
    const runtime = startKioskRuntime({ config, log: pino({ level: process.env.KIOSK_TEST_LOG ?? 'silent' }) });
    const connection = runtime.bridge.connect((message: ServerMessage) => {
      if (message.kind === 'view') {
        views.push(message.view);
        for (const watcher of watchers) watcher();
      } else {
        acks.get(message.id)?.(message.ack);
        acks.delete(message.id);
      }
    });
    return { runtime, connection };
  };
  let running = boot();
  const shutdown = async (): Promise<void> => {
    running.connection.close();
    await running.runtime.stop();
  };
  let nextId = 1;
  const harness: KioskHarness = {
    get runtime() {
      return running.runtime;
    },
    simulators,
    config,
    views,
    intent(intent) {
      const id = nextId++;
      return new Promise((resolve) => {
        acks.set(id, resolve);
        running.connection.receive({ kind: 'intent', id, intent });
      });
    },
    waitForView(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const latest = views.at(-1);
          if (latest && predicate(latest)) {
            watchers.delete(check);
            clearTimeout(timer);
            resolve(latest);
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`no matching view; last was ${JSON.stringify(views.at(-1))}`));
        }, timeoutMs);
        if (!check()) watchers.add(check);
      });
    },
    async control(device, action, body = {}) {
      const res = await fetch(`${simulators.controlUrl}/sim/${device}/${action}`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${device}/${action}: ${res.status} ${text}`);
      return JSON.parse(text) as unknown;
    },
    async waitForDevice(device, predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const res = await fetch(`${simulators.controlUrl}/sim/${device}`);
        const state = (await res.json()) as Record<string, unknown>;
        if (predicate(state)) return;
        if (Date.now() > deadline) throw new Error(`${device} never reached the state; last ${JSON.stringify(state)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async restart() {
      await shutdown();
      running = boot();
      await running.runtime.ready;
    },
    async stop() {
      await shutdown();
      await simulators.stop();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** The demo card the host simulator knows (simulators/host): PAN, PIN and its track 2. */
export const DEMO_CARD = { pan: '6212341234567890', pin: '123456', track2: '6212341234567890=25121011234500000' };
