import { assign, fromPromise, setup } from 'xstate';
import {
  validCounts,
  type CardBinInfo,
  type CashUnitInfo,
  type LoginResult,
  type LogoutReason,
  type MaintenanceMenuOption,
  type MaintenanceMessage,
} from './types.js';

export interface MaintenanceInput {
  /** A signed-in technician who does nothing for this long is signed out. */
  readonly inactivityMs: number;
}

export interface MaintenanceContext extends MaintenanceInput {
  /** The technician signed in; undefined on the login screen. */
  readonly operatorId?: string;
  /** The id typed on the login screen, while it is checked. */
  readonly candidate?: string;
  readonly message?: MaintenanceMessage;
  /** With `maint.login.locked`: how long the terminal refuses logins. */
  readonly retryAfterMs?: number;
  readonly units: readonly CashUnitInfo[];
  /** The counts typed at a replenishment, one per cassette, awaiting confirmation. */
  readonly enteredCounts?: readonly number[];
  readonly cardBin?: CardBinInfo;
  /** Why the technician is being signed out. */
  readonly leaving?: LogoutReason;
}

export type MaintenanceEvent =
  | { type: 'maint.login'; operatorId: string; password: string }
  | { type: 'maint.countsEntered'; counts: readonly number[] }
  | { type: 'ui.optionSelected'; option: string }
  | { type: 'ui.confirmed' }
  | { type: 'ui.cancelPressed' };

const notProvided = (name: string) => () => {
  throw new Error(`${name} not provided`);
};

/** Back to the menu from a screen that only shows something. */
const backToMenu = { 'ui.confirmed': '#maintenance.menu', 'ui.cancelPressed': '#maintenance.menu' } as const;
/** A signed-in screen left alone for `inactivityMs` signs the technician out. */
const idleLogout = { inactivity: { target: '#maintenance.loggingOut', actions: 'leaveOnTimeout' } } as const;

/**
 * The technician's supervisor mode, run by the kiosk while the operator
 * switch is out of `run` and no customer is served: login, then a menu of
 * device status, cash units, replenishment (an XFS4IoT Storage exchange),
 * card bin and a counters slip. Every effect, including the password check,
 * is a named actor the runtime provides; the machine only decides the order.
 */
export const maintenanceMachine = setup({
  types: {
    context: {} as MaintenanceContext,
    events: {} as MaintenanceEvent,
    input: {} as MaintenanceInput,
  },
  actors: {
    /** Checks the password against the configured hash; counts failures and locks the terminal. */
    verifyOperator: fromPromise<LoginResult, { operatorId: string; password: string }>(notProvided('verifyOperator')),
    /** Journals the end of the technician's session. */
    logout: fromPromise<void, { operatorId: string; reason: LogoutReason }>(notProvided('logout')),
    readCashUnits: fromPromise<readonly CashUnitInfo[], void>(notProvided('readCashUnits')),
    /** Storage.StartExchange: cash commands are refused until the exchange ends. */
    startExchange: fromPromise<readonly CashUnitInfo[], { operatorId: string }>(notProvided('startExchange')),
    /** Journals the counts, sets them on the device and the ledger, ends the exchange. */
    endExchange: fromPromise<readonly CashUnitInfo[], { operatorId: string; counts: readonly number[] }>(
      notProvided('endExchange'),
    ),
    /** Ends the exchange leaving every count as it was. */
    cancelExchange: fromPromise<void, { operatorId: string }>(notProvided('cancelExchange')),
    readCardBin: fromPromise<CardBinInfo, void>(notProvided('readCardBin')),
    /** The technician emptied the bin: journal it and set the count to 0. */
    resetCardBin: fromPromise<CardBinInfo, { operatorId: string }>(notProvided('resetCardBin')),
    printCounters: fromPromise<void, { operatorId: string }>(notProvided('printCounters')),
  },
  actions: {
    clearMessage: assign({ message: undefined, retryAfterMs: undefined }),
    leaveOnTimeout: assign({ leaving: 'timeout' as const }),
    /** Forget everything the technician saw; say why they were signed out. */
    signedOut: assign(({ context }) => ({
      operatorId: undefined,
      message: context.leaving === 'timeout' ? ('maint.timedOut' as const) : ('maint.loggedOut' as const),
      leaving: undefined,
      units: [],
      enteredCounts: undefined,
      cardBin: undefined,
    })),
  },
  guards: {
    loginOk: ({ event }) => (event as { output?: LoginResult }).output?.outcome === 'ok',
    loginLocked: ({ event }) => (event as { output?: LoginResult }).output?.outcome === 'locked',
    chose: ({ event }, params: { option: MaintenanceMenuOption | 'maint.cardBin.reset' }) =>
      event.type === 'ui.optionSelected' && event.option === params.option,
    countsValid: ({ context, event }) =>
      event.type === 'maint.countsEntered' && validCounts(event.counts, context.units),
    timedOut: ({ context }) => context.leaving === 'timeout',
  },
  delays: { inactivity: ({ context }) => context.inactivityMs },
}).createMachine({
  id: 'maintenance',
  context: ({ input }) => ({ ...input, units: [] }),
  initial: 'login',
  states: {
    login: {
      on: {
        'maint.login': {
          target: 'verifying',
          actions: assign({ candidate: ({ event }) => event.operatorId }),
        },
      },
    },
    verifying: {
      invoke: {
        id: 'verifyOperator',
        src: 'verifyOperator',
        input: ({ event }) =>
          event.type === 'maint.login'
            ? { operatorId: event.operatorId, password: event.password }
            : { operatorId: '', password: '' },
        onDone: [
          {
            guard: 'loginOk',
            target: 'menu',
            actions: assign(({ context }) => ({ operatorId: context.candidate, candidate: undefined })),
          },
          {
            guard: 'loginLocked',
            target: 'login',
            actions: assign(({ event }) => ({
              candidate: undefined,
              message: 'maint.login.locked' as const,
              retryAfterMs: event.output.outcome === 'locked' ? event.output.retryAfterMs : 0,
            })),
          },
          { target: 'login', actions: assign({ candidate: undefined, message: 'maint.login.wrong' as const }) },
        ],
        onError: { target: 'login', actions: assign({ candidate: undefined, message: 'maint.failed' as const }) },
      },
    },
    menu: {
      entry: 'clearMessage',
      after: idleLogout,
      on: {
        'ui.optionSelected': [
          { guard: { type: 'chose', params: { option: 'maint.devices' } }, target: 'devices' },
          { guard: { type: 'chose', params: { option: 'maint.cashUnits' } }, target: 'loadingUnits' },
          { guard: { type: 'chose', params: { option: 'maint.replenish' } }, target: 'replenish' },
          { guard: { type: 'chose', params: { option: 'maint.cardBin' } }, target: 'loadingCardBin' },
          { guard: { type: 'chose', params: { option: 'maint.printCounters' } }, target: 'printing' },
          {
            guard: { type: 'chose', params: { option: 'maint.exit' } },
            target: 'loggingOut',
            actions: assign({ leaving: 'exit' as const }),
          },
        ],
      },
    },
    devices: { after: idleLogout, on: backToMenu },
    loadingUnits: {
      invoke: {
        id: 'readCashUnits',
        src: 'readCashUnits',
        onDone: { target: 'cashUnits', actions: assign({ units: ({ event }) => event.output }) },
        onError: { target: 'notice', actions: assign({ message: 'maint.failed' as const }) },
      },
    },
    cashUnits: { after: idleLogout, on: backToMenu },
    replenish: {
      initial: 'starting',
      states: {
        starting: {
          invoke: {
            id: 'startExchange',
            src: 'startExchange',
            input: ({ context }) => ({ operatorId: context.operatorId ?? '' }),
            onDone: {
              target: 'entering',
              actions: assign({ units: ({ event }) => event.output, enteredCounts: undefined }),
            },
            onError: {
              target: '#maintenance.notice',
              actions: assign({ message: 'maint.replenish.refused' as const }),
            },
          },
        },
        entering: {
          after: { inactivity: { target: 'abandoning', actions: 'leaveOnTimeout' } },
          on: {
            'maint.countsEntered': [
              {
                guard: 'countsValid',
                target: 'confirming',
                actions: assign({ enteredCounts: ({ event }) => event.counts, message: undefined }),
              },
              // Re-entered, so that the inactivity timer starts again on every attempt.
              { target: 'entering', reenter: true, actions: assign({ message: 'maint.counts.invalid' as const }) },
            ],
            'ui.cancelPressed': 'abandoning',
          },
        },
        confirming: {
          after: { inactivity: { target: 'abandoning', actions: 'leaveOnTimeout' } },
          on: { 'ui.confirmed': 'committing', 'ui.cancelPressed': 'entering' },
        },
        committing: {
          invoke: {
            id: 'endExchange',
            src: 'endExchange',
            input: ({ context }) => ({ operatorId: context.operatorId ?? '', counts: context.enteredCounts ?? [] }),
            onDone: {
              target: '#maintenance.notice',
              actions: assign({ units: ({ event }) => event.output, message: 'maint.replenish.done' as const }),
            },
            onError: { target: '#maintenance.notice', actions: assign({ message: 'maint.replenish.failed' as const }) },
          },
        },
        abandoning: {
          invoke: {
            id: 'cancelExchange',
            src: 'cancelExchange',
            input: ({ context }) => ({ operatorId: context.operatorId ?? '' }),
            onDone: [{ guard: 'timedOut', target: '#maintenance.loggingOut' }, { target: '#maintenance.menu' }],
            onError: [
              { guard: 'timedOut', target: '#maintenance.loggingOut' },
              { target: '#maintenance.notice', actions: assign({ message: 'maint.failed' as const }) },
            ],
          },
        },
      },
    },
    loadingCardBin: {
      entry: 'clearMessage',
      invoke: {
        id: 'readCardBin',
        src: 'readCardBin',
        onDone: { target: 'cardBin', actions: assign({ cardBin: ({ event }) => event.output }) },
        onError: { target: 'notice', actions: assign({ message: 'maint.failed' as const }) },
      },
    },
    cardBin: {
      after: idleLogout,
      on: {
        'ui.optionSelected': {
          guard: { type: 'chose', params: { option: 'maint.cardBin.reset' } },
          target: 'resettingCardBin',
        },
        ...backToMenu,
      },
    },
    resettingCardBin: {
      invoke: {
        id: 'resetCardBin',
        src: 'resetCardBin',
        input: ({ context }) => ({ operatorId: context.operatorId ?? '' }),
        onDone: {
          target: 'cardBin',
          actions: assign({ cardBin: ({ event }) => event.output, message: 'maint.cardBin.emptied' as const }),
        },
        onError: { target: 'notice', actions: assign({ message: 'maint.failed' as const }) },
      },
    },
    printing: {
      invoke: {
        id: 'printCounters',
        src: 'printCounters',
        input: ({ context }) => ({ operatorId: context.operatorId ?? '' }),
        onDone: { target: 'notice', actions: assign({ message: 'maint.printed' as const }) },
        onError: { target: 'notice', actions: assign({ message: 'maint.printFailed' as const }) },
      },
    },
    /** The outcome of a step (replenished, printed, failed), until the technician goes back to the menu. */
    notice: { after: idleLogout, on: backToMenu },
    loggingOut: {
      invoke: {
        id: 'logout',
        src: 'logout',
        input: ({ context }) => ({ operatorId: context.operatorId ?? '', reason: context.leaving ?? 'exit' }),
        onDone: { target: 'login', actions: 'signedOut' },
        onError: { target: 'login', actions: 'signedOut' },
      },
    },
  },
});
