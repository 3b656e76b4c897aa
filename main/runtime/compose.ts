import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createActor } from 'xstate';
import { systemClock, type Clock } from '../../drivers/common/clock.js';
import { Journal } from '../journal/journal.js';
import { kioskMachine, type KioskEvent } from '../../state-machines/kiosk/kiosk.machine.js';
import type { Intent } from '../ipc-contract/intents.js';
import type { IntentAck, SessionView } from '../ipc-contract/view.js';
import type { RendererBridge } from './bridge.js';
import type { KioskConfig } from './config.js';
import { DeviceManager, type DeviceStatusReport } from './device-manager.js';
import { journalRecorder } from './journal-recorder.js';
import { createLogger, type Logger } from './logger.js';
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
  const journal = Journal.open(join(config.stateDir, 'journal.sqlite'), clock);
  const record = journalRecorder(journal, log);
  record({
    kind: 'config',
    payload: {
      event: 'runtime.started',
      kioskId: config.kioskId,
      devices: config.devices.map((d) => `${d.id}:${d.model}`),
    },
  });
  const actor = createActor(kioskMachine, {
    input: {
      defaultLanguage: config.ui.defaultLanguage,
      hostConfigured: false,
      limits: {
        currency: config.limits.currency,
        maxWithdrawalMinor: config.limits.maxWithdrawalMinor,
        noteMultipleMinor: config.limits.noteMultipleMinor,
        fastCashMinor: config.limits.fastCashMinor,
      },
    },
  });

  const hub = new RendererHub(
    (intent) => applyIntent(intent),
    log,
    (reason) => record({ kind: 'security', payload: { event: 'renderer.frameRefused', reason } }),
  );
  const devices = new DeviceManager(config.devices, clock, log, config.reopenIntervalMs, (report) => {
    record({
      kind: 'device.result',
      payload: { event: 'device.status', device: report.id, state: report.state, limits: report.limits },
    });
    actor.send(statusEvent(report));
    publish();
  });

  let seq = 0;
  let lastKey = '';
  let current: SessionView | undefined;
  const publish = (): void => {
    const next = projectView(actor.getSnapshot(), devices.reports(), config.kioskId);
    const key = JSON.stringify(next);
    if (key === lastKey) return;
    lastKey = key;
    seq += 1;
    current = { ...next, seq };
    hub.publish(current);
  };

  const applyIntent = (intent: Intent): IntentAck => {
    // A choice must be one the current screen offers; anything else is stale or forged.
    if (intent.type === 'ui.optionSelected' && !current?.options.includes(intent.option)) {
      return { accepted: false, reason: 'notApplicable' };
    }
    if (!actor.getSnapshot().can(intent)) return { accepted: false, reason: 'notApplicable' };
    record({ kind: 'customer', payload: { event: intent.type, screen: current?.screen } });
    actor.send(intent);
    return { accepted: true };
  };

  actor.subscribe(() => publish());
  actor.start();
  for (const report of devices.reports()) actor.send(statusEvent(report));
  publish();

  const ready = devices.start().then(() => {
    actor.send({ type: 'devices.opened' });
    log.info({ state: actor.getSnapshot().value }, 'kiosk started');
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
    stop: async () => {
      await devices.stop();
      actor.stop();
      journal.close();
    },
  };
}

function statusEvent(report: DeviceStatusReport): KioskEvent {
  const { id, deviceClass, state, critical, limits } = report;
  return { type: 'device.statusChanged', id, deviceClass, state, critical, limits };
}
