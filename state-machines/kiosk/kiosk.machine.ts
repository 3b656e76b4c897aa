import { assign, setup } from 'xstate';
import type { DeviceClass } from '../../drivers/common/device.js';
import type { DeviceState } from '../../drivers/common/status.js';
import { computeAvailability, type DeviceHealth, type DeviceLimit, type ServiceAvailability } from './availability.js';

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
  | { type: 'ui.accessibilityChanged'; elderly: boolean; highContrast: boolean };

export interface KioskInput {
  readonly defaultLanguage: Language;
  readonly hostConfigured: boolean;
}

const recompute = (c: Omit<KioskContext, 'availability'>): ServiceAvailability =>
  computeAvailability({ devices: Object.values(c.devices), hostUp: c.hostUp, safetyStops: c.safetyStops });

/**
 * The kiosk's top-level life: starting → in service ⇄ out of service, driven
 * by device and host status. Customer sessions (a later machine) run only in
 * `inService`; this machine never talks to a device itself.
 */
export const kioskMachine = setup({
  types: {
    context: {} as KioskContext,
    events: {} as KioskEvent,
    input: {} as KioskInput,
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
  },
  guards: {
    available: ({ context }) => context.availability.inService,
    unavailable: ({ context }) => !context.availability.inService,
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
    };
    return { ...base, availability: recompute(base) };
  },
  initial: 'starting',
  on: {
    'device.statusChanged': { actions: 'recordDevice' },
    'host.statusChanged': { actions: 'recordHost' },
  },
  states: {
    starting: {
      on: { 'devices.opened': 'deciding' },
    },
    deciding: {
      always: [{ guard: 'available', target: 'inService' }, { target: 'outOfService' }],
    },
    inService: {
      always: { guard: 'unavailable', target: 'outOfService' },
      on: {
        'ui.languageSelected': { actions: 'setLanguage' },
        'ui.accessibilityChanged': { actions: 'setAccessibility' },
      },
    },
    outOfService: {
      always: { guard: 'available', target: 'inService' },
    },
  },
});
