import { assign, forwardTo, fromCallback, setup } from 'xstate';
import type { OperatorSwitchState } from '../../drivers/auxiliaries/contract.js';
import type { DeviceClass } from '../../drivers/common/device.js';
import type { DeviceState } from '../../drivers/common/status.js';
import { computeAvailability, type DeviceHealth, type DeviceLimit, type ServiceAvailability } from './availability.js';
import { sessionMachine, type SessionOutput } from '../session/session.machine.js';
import type { SessionLimits, SessionTimeouts } from '../session/types.js';
import type { SessionEvent } from '../session/session.machine.js';
import { maintenanceMachine, type MaintenanceEvent } from '../maintenance/maintenance.machine.js';

/** Customer events a running session receives from the renderer. */
type SessionUiEvent = Extract<SessionEvent, { type: `ui.${string}` }>;
/** Technician events the maintenance machine receives from the renderer. */
type MaintenanceUiEvent = Extract<MaintenanceEvent, { type: `maint.${string}` }>;

/** A technician left alone this long on a maintenance screen is signed out, unless configured. */
export const DEFAULT_MAINTENANCE_INACTIVITY_MS = 120_000;

export type Language = 'zh-CN' | 'en';

export interface KioskContext {
  readonly language: Language;
  readonly defaultLanguage: Language;
  readonly elderly: boolean;
  readonly highContrast: boolean;
  readonly headphones: boolean;
  readonly devices: Readonly<Record<string, DeviceHealth>>;
  readonly hostUp: boolean | null;
  readonly safetyStops: readonly string[];
  readonly availability: ServiceAvailability;
  readonly limits: SessionLimits;
  readonly timeouts?: SessionTimeouts;
  readonly sessionCount: number;
  readonly lastSession?: SessionOutput;
  /** The operator switch stands at `supervisor` or `maintenance`: the technician's mode once no customer is served. */
  readonly maintenanceRequested: boolean;
  readonly maintenanceInactivityMs: number;
}

export type KioskEvent =
  | { type: 'devices.opened' }
  | {
      type: 'device.statusChanged';
      id: string;
      deviceClass: DeviceClass;
      state: DeviceState;
      critical: boolean;
      limits: readonly DeviceLimit[];
    }
  | { type: 'host.statusChanged'; up: boolean }
  | { type: 'ui.languageSelected'; language: Language }
  | { type: 'ui.accessibilityChanged'; elderly: boolean; highContrast: boolean }
  | { type: 'customer.cardInserted' }
  | { type: 'customer.codeScanned'; code: string }
  | { type: 'headphones.changed'; inserted: boolean }
  | { type: 'safety.changed'; stops: readonly string[] }
  | { type: 'pinpad.digitPressed'; digits: number }
  | { type: 'operator.switchChanged'; position: OperatorSwitchState }
  | SessionUiEvent
  | MaintenanceUiEvent;

export interface KioskInput {
  readonly defaultLanguage: Language;
  readonly hostConfigured: boolean;
  readonly limits: SessionLimits;
  readonly timeouts?: SessionTimeouts;
  readonly maintenance?: { readonly inactivityMs: number };
}

const recompute = (c: Omit<KioskContext, 'availability'>): ServiceAvailability =>
  computeAvailability({ devices: Object.values(c.devices), hostUp: c.hostUp, safetyStops: c.safetyStops });

/**
 * The kiosk's top-level life: starting → in service ⇄ out of service, driven
 * by device and host status, and maintenance while the operator switch says
 * so. Customer sessions run only in `inService`, the technician's screens only
 * in `maintenance`; this machine never talks to a device itself.
 */
export const kioskMachine = setup({
  types: {
    context: {} as KioskContext,
    events: {} as KioskEvent,
    input: {} as KioskInput,
  },
  actors: {
    /** Waits for a card in the reader or a code at the scanner; the runtime provides it. */
    awaitCustomer: fromCallback(() => undefined),
    session: sessionMachine,
    maintenance: maintenanceMachine,
  },
  actions: {
    recordDevice: assign(({ context, event }) => {
      if (event.type !== 'device.statusChanged') return {};
      const devices = {
        ...context.devices,
        [event.id]: {
          id: event.id,
          deviceClass: event.deviceClass,
          state: event.state,
          critical: event.critical,
          limits: event.limits,
        },
      };
      return { devices, availability: recompute({ ...context, devices }) };
    }),
    recordHost: assign(({ context, event }) => {
      if (event.type !== 'host.statusChanged') return {};
      return { hostUp: event.up, availability: recompute({ ...context, hostUp: event.up }) };
    }),
    setLanguage: assign({
      language: ({ context, event }) => (event.type === 'ui.languageSelected' ? event.language : context.language),
    }),
    setAccessibility: assign(({ event }) =>
      event.type === 'ui.accessibilityChanged' ? { elderly: event.elderly, highContrast: event.highContrast } : {},
    ),
    recordHeadphones: assign({
      headphones: ({ context, event }) => (event.type === 'headphones.changed' ? event.inserted : context.headphones),
    }),
    recordSafety: assign(({ context, event }) => {
      if (event.type !== 'safety.changed') return {};
      return { safetyStops: event.stops, availability: recompute({ ...context, safetyStops: event.stops }) };
    }),
    recordOperatorSwitch: assign({
      maintenanceRequested: ({ context, event }) =>
        event.type === 'operator.switchChanged'
          ? event.position === 'supervisor' || event.position === 'maintenance'
          : context.maintenanceRequested,
    }),
    /** The runtime closes what the technician left open (an exchange, a login); nothing to do in a test. */
    maintenanceEnded: () => undefined,
    resetLanguage: assign({ language: ({ context }) => context.defaultLanguage }),
    /** Back to the kiosk's defaults for the next customer. */
    resetCustomerChoices: assign(({ context }) => ({
      language: context.defaultLanguage,
      elderly: false,
      highContrast: false,
      sessionCount: context.sessionCount + 1,
    })),
  },
  guards: {
    available: ({ context }) => context.availability.inService,
    unavailable: ({ context }) => !context.availability.inService,
    maintenanceRequested: ({ context }) => context.maintenanceRequested,
    runRequested: ({ context }) => !context.maintenanceRequested,
  },
}).createMachine({
  id: 'kiosk',
  context: ({ input }) => {
    const base = {
      language: input.defaultLanguage,
      defaultLanguage: input.defaultLanguage,
      elderly: false,
      highContrast: false,
      headphones: false,
      devices: {},
      hostUp: input.hostConfigured ? false : null,
      safetyStops: [],
      limits: input.limits,
      ...(input.timeouts === undefined ? {} : { timeouts: input.timeouts }),
      sessionCount: 0,
      maintenanceRequested: false,
      maintenanceInactivityMs: input.maintenance?.inactivityMs ?? DEFAULT_MAINTENANCE_INACTIVITY_MS,
    };
    return { ...base, availability: recompute(base) };
  },
  initial: 'starting',
  on: {
    'device.statusChanged': { actions: 'recordDevice' },
    'host.statusChanged': { actions: 'recordHost' },
    'headphones.changed': { actions: 'recordHeadphones' },
    'safety.changed': { actions: 'recordSafety' },
    'operator.switchChanged': { actions: 'recordOperatorSwitch' },
  },
  states: {
    starting: {
      on: { 'devices.opened': 'deciding' },
    },
    deciding: {
      always: [
        { guard: 'maintenanceRequested', target: 'maintenance' },
        { guard: 'available', target: 'inService' },
        { target: 'outOfService' },
      ],
    },
    inService: {
      initial: 'idle',
      states: {
        idle: {
          // A session in progress finishes first; only an idle kiosk leaves service or hands over to the technician.
          always: [
            { guard: 'maintenanceRequested', target: '#kiosk.maintenance' },
            { guard: 'unavailable', target: '#kiosk.outOfService' },
          ],
          invoke: { src: 'awaitCustomer' },
          on: {
            'ui.languageSelected': { actions: 'setLanguage' },
            'ui.accessibilityChanged': { actions: 'setAccessibility' },
            'customer.cardInserted': 'session',
            'customer.codeScanned': 'session',
          },
        },
        session: {
          invoke: {
            id: 'session',
            src: 'session',
            input: ({ context, event }) => ({
              sessionId: `${context.sessionCount + 1}`,
              trigger: event.type === 'customer.codeScanned' ? 'appointment' : 'card',
              ...(event.type === 'customer.codeScanned' ? { appointmentCode: event.code } : {}),
              language: context.language,
              elderly: context.elderly,
              services: context.availability,
              limits: context.limits,
              ...(context.timeouts === undefined ? {} : { timeouts: context.timeouts }),
            }),
            onDone: {
              target: 'idle',
              actions: [assign({ lastSession: ({ event }) => event.output }), 'resetCustomerChoices'],
            },
            onError: { target: 'idle', actions: 'resetCustomerChoices' },
          },
          on: {
            'ui.*': { actions: forwardTo('session') },
            'ui.accessibilityChanged': { actions: ['setAccessibility', forwardTo('session')] },
            'pinpad.digitPressed': { actions: forwardTo('session') },
          },
        },
      },
    },
    outOfService: {
      always: [
        { guard: 'maintenanceRequested', target: 'maintenance' },
        { guard: 'available', target: 'inService' },
      ],
    },
    /** Supervisor mode: the technician's screens, until the operator switch is back at `run`. */
    maintenance: {
      always: { guard: 'runRequested', target: 'deciding' },
      exit: ['maintenanceEnded', 'resetLanguage'],
      invoke: {
        id: 'maintenance',
        src: 'maintenance',
        input: ({ context }) => ({ inactivityMs: context.maintenanceInactivityMs }),
      },
      on: {
        'ui.languageSelected': { actions: 'setLanguage' },
        'ui.*': { actions: forwardTo('maintenance') },
        'maint.*': { actions: forwardTo('maintenance') },
      },
    },
  },
});
