import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createActor, type Actor, type SnapshotFrom } from 'xstate';
import { systemClock, type Clock } from '../../drivers/common/clock.js';
import { Journal } from '../journal/journal.js';
import { kioskMachine, type KioskEvent } from '../../state-machines/kiosk/kiosk.machine.js';
import type { Intent, Language } from '../ipc-contract/intents.js';
import { isMaintenanceScreen, type IntentAck, type SessionView } from '../ipc-contract/view.js';
import type { RendererBridge } from './bridge.js';
import type { KioskConfig } from './config.js';
import { BANK_NAME, createBanking } from './banking/banking.js';
import { safetyStops } from './device-health.js';
import { DeviceManager, type DeviceStatusReport } from './device-manager.js';
import { withCrashInjection } from './crash-injection.js';
import { journalRecorder } from './journal-recorder.js';
import { createLogger, type Logger } from './logger.js';
import { createMaintenance } from './maintenance/maintenance.js';
import { RendererHub } from './renderer-bridge.js';
import { projectView } from './view-projection.js';

export interface KioskRuntime {
  readonly bridge: RendererBridge;
  readonly config: KioskConfig;
  readonly journal: Journal;
  /** The latest view sent to renderers. */
  view(): SessionView;
  /** Resolves when the kiosk has left `starting` (devices opened or failed once). */
  readonly ready: Promise<void>;
  /** Resolves true once the kiosk is in service, false if it is not within `timeoutMs`. */
  whenInService(timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  readonly config: KioskConfig;
  readonly clock?: Clock;
  readonly log?: Logger;
}

/**
 * The composition root: builds devices from the configuration, runs the kiosk
 * machine, and projects its snapshot into the view every renderer receives.
 */
export function startKioskRuntime(options: RuntimeOptions): KioskRuntime {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger(config.kioskId);
  mkdirSync(config.stateDir, { recursive: true });
  const journal = withCrashInjection(
    Journal.open(join(config.stateDir, 'journal.sqlite'), clock),
    process.env.KIOSK_CRASH_AFTER_EVENT,
  );
  const record = journalRecorder(journal, log);
  record({
    kind: 'config',
    payload: {
      event: 'runtime.started',
      kioskId: config.kioskId,
      devices: config.devices.map((d) => `${d.id}:${d.model}`),
    },
  });
  const hub = new RendererHub(
    (intent) => applyIntent(intent),
    log,
    (reason) => record({ kind: 'security', payload: { event: 'renderer.frameRefused', reason } }),
  );
  // The kiosk actor is built after the devices (its effects need them); reports before then are replayed.
  const built: { actor?: Actor<typeof kioskMachine> } = {};
  const kioskActor = (): Actor<typeof kioskMachine> => {
    if (!built.actor) throw new Error('the kiosk actor is not started yet');
    return built.actor;
  };
  let lastStops = '';
  const devices = new DeviceManager(config.devices, clock, log, config.reopenIntervalMs, (report) => {
    record({
      kind: 'device.result',
      payload: { event: 'device.status', device: report.id, state: report.state, limits: report.limits },
    });
    if (!built.actor) return;
    built.actor.send(statusEvent(report));
    sendEnclosure();
    publish();
  });
  const sendEnclosure = (): void => {
    const stops = safetyStops(devices.all());
    const key = stops.join(',');
    if (key !== lastStops) {
      lastStops = key;
      record({ kind: 'security', payload: { event: 'safety.changed', stops } });
      built.actor?.send({ type: 'safety.changed', stops });
    }
    const aux = devices.byClass('auxiliaries')?.getStatus();
    if (aux) {
      built.actor?.send({ type: 'headphones.changed', inserted: aux.headphoneJack === 'inserted' });
      built.actor?.send({ type: 'operator.switchChanged', position: aux.operatorSwitch });
    }
  };

  const banking = createBanking({
    machine: kioskMachine,
    ...(config.host === undefined ? {} : { host: config.host }),
    devices,
    stateDir: config.stateDir,
    clock,
    journal,
    record,
    log,
    kioskId: config.kioskId,
    takeNotesMs: config.timeouts.takeCashMs,
    kiosk: kioskActor,
    language: () => sessionLanguage(kioskActor().getSnapshot()),
  });
  const maintenance = createMaintenance({
    config: config.maintenance,
    kioskId: config.kioskId,
    bankName: BANK_NAME,
    devices,
    ...(banking ? { ledger: banking.ledger } : {}),
    journal,
    record,
    clock,
    log,
    language: () => kioskActor().getSnapshot().context.language,
  });
  const kiosk = createActor(maintenance.provide(banking?.machine ?? kioskMachine), {
    // Sessions and transactions are child actors; their steps change the screen too.
    inspect: (event) => {
      if (event.type === '@xstate.snapshot' && built.actor) schedulePublish();
    },
    input: {
      defaultLanguage: config.ui.defaultLanguage,
      hostConfigured: banking !== undefined,
      limits: {
        currency: config.limits.currency,
        maxWithdrawalMinor: config.limits.maxWithdrawalMinor,
        noteMultipleMinor: config.limits.noteMultipleMinor,
        fastCashMinor: config.limits.fastCashMinor,
      },
      timeouts: config.timeouts,
      maintenance: { inactivityMs: config.maintenance.inactivityMs },
    },
  });
  built.actor = kiosk;
  banking?.host.onStatus((up) => {
    record({ kind: 'host.response', payload: { event: 'host.status', up } });
    kiosk.send({ type: 'host.statusChanged', up });
  });

  let seq = 0;
  let lastKey = '';
  let current: SessionView | undefined;
  const publish = (): void => {
    const next = projectView(kiosk.getSnapshot(), devices.reports(), config.kioskId);
    const key = JSON.stringify(next);
    if (key === lastKey) return;
    lastKey = key;
    seq += 1;
    current = { ...next, seq };
    hub.publish(current);
  };
  // One event moves several actors (session, transaction, invoked steps), each with its own
  // snapshot: project the view once, after the burst, rather than once per actor.
  let publishQueued = false;
  const schedulePublish = (): void => {
    if (publishQueued) return;
    publishQueued = true;
    queueMicrotask(() => {
      publishQueued = false;
      publish();
    });
  };

  const applyIntent = (intent: Intent): IntentAck => {
    // A choice must be one the current screen offers; anything else is stale or forged.
    if (intent.type === 'ui.optionSelected' && !current?.options.includes(intent.option)) {
      return { accepted: false, reason: 'notApplicable' };
    }
    const snapshot = kiosk.getSnapshot();
    if (!snapshot.can(intent) || !maintenance.accepts(snapshot, intent))
      return { accepted: false, reason: 'notApplicable' };
    // Only the intent's type: a technician's password or counts never reach the journal from here.
    const kind = current && isMaintenanceScreen(current.screen) ? 'maintenance' : 'customer';
    record({ kind, payload: { event: intent.type, screen: current?.screen } });
    kiosk.send(intent);
    return { accepted: true };
  };

  kiosk.subscribe(schedulePublish);
  kiosk.start();
  for (const report of devices.reports()) kiosk.send(statusEvent(report));
  sendEnclosure();
  publish();

  const ready = devices.start().then(async () => {
    if (banking) {
      try {
        const report = await banking.recover(new AbortController().signal);
        log.info({ report }, 'start-up recovery finished');
      } catch (err) {
        log.error({ error: (err as Error).message }, 'start-up recovery failed');
        record({ kind: 'recovery', payload: { event: 'recovery.failed', error: (err as Error).message } });
      }
      banking.host.start();
    }
    kiosk.send({ type: 'devices.opened' });
    log.info({ state: kiosk.getSnapshot().value }, 'kiosk started');
  });

  return {
    bridge: hub,
    config,
    journal,
    view: () => {
      if (!current) throw new Error('no view yet');
      return current;
    },
    ready,
    whenInService: (timeoutMs) =>
      new Promise<boolean>((resolve) => {
        const inService = (): boolean => kiosk.getSnapshot().matches('inService');
        if (inService()) {
          resolve(true);
          return;
        }
        const timer = clock.setTimeout(() => {
          subscription.unsubscribe();
          resolve(false);
        }, timeoutMs);
        const subscription = kiosk.subscribe(() => {
          if (!inService()) return;
          clock.clearTimeout(timer);
          subscription.unsubscribe();
          resolve(true);
        });
      }),
    stop: async () => {
      await banking?.host.stop();
      banking?.ledger.close();
      await devices.stop();
      kiosk.stop();
      journal.close();
    },
  };
}

function statusEvent(report: DeviceStatusReport): KioskEvent {
  const { id, deviceClass, state, critical, limits } = report;
  return { type: 'device.statusChanged', id, deviceClass, state, critical, limits };
}

/** The language of the customer in session, else the kiosk's. */
function sessionLanguage(snapshot: SnapshotFrom<typeof kioskMachine>): Language {
  const session = snapshot.children.session?.getSnapshot() as { context?: { language?: Language } } | undefined;
  return session?.context?.language ?? snapshot.context.language;
}
