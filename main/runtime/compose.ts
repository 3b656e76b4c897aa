import { createActor } from 'xstate';
import { systemClock, type Clock } from '../../drivers/common/clock.js';
import { kioskMachine, type KioskEvent } from '../../state-machines/kiosk/kiosk.machine.js';
import type { Intent } from '../ipc-contract/intents.js';
import type { IntentAck, SessionView } from '../ipc-contract/view.js';
import type { RendererBridge } from './bridge.js';
import type { KioskConfig } from './config.js';
import { DeviceManager, type DeviceStatusReport } from './device-manager.js';
import { createLogger, type Logger } from './logger.js';
import { RendererHub } from './renderer-bridge.js';
import { projectView } from './view-projection.js';

export interface KioskRuntime {
  readonly bridge: RendererBridge;
  readonly config: KioskConfig;
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

  const hub = new RendererHub((intent) => applyIntent(intent), log);
  const devices = new DeviceManager(config.devices, clock, log, config.reopenIntervalMs, (report) => {
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
    const event = intentToEvent(intent);
    if (!event || !actor.getSnapshot().can(event)) return { accepted: false, reason: 'notApplicable' };
    actor.send(event);
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
    view: () => {
      if (!current) throw new Error('no view yet');
      return current;
    },
    ready,
    stop: async () => {
      await devices.stop();
      actor.stop();
    },
  };
}

/** The machine event an intent asks for; intents without one are refused. */
function intentToEvent(intent: Intent): KioskEvent | undefined {
  switch (intent.type) {
    case 'ui.languageSelected':
      return { type: 'ui.languageSelected', language: intent.language };
    case 'ui.accessibilityChanged':
      return { type: 'ui.accessibilityChanged', elderly: intent.elderly, highContrast: intent.highContrast };
    default:
      return undefined;
  }
}

function statusEvent(report: DeviceStatusReport): KioskEvent {
  const { id, deviceClass, state, critical, limits } = report;
  return { type: 'device.statusChanged', id, deviceClass, state, critical, limits };
}
