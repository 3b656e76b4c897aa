import { createActor, fromPromise, SimulatedClock } from 'xstate';
import {
  sessionMachine,
  type PinEntryOutput,
  type SessionInput,
} from '../../../state-machines/session/session.machine.js';
import type { HostResult, StatementEntry } from '../../../state-machines/session/types.js';
import { balanceMachine } from '../../../state-machines/transactions/balance.machine.js';
import {
  depositMachine,
  type CashInEndOutput,
  type CashInOutput,
  type CashInRollbackOutput,
  type RetractReason,
} from '../../../state-machines/transactions/deposit.machine.js';
import {
  miniStatementMachine,
  type MiniStatementOutput,
} from '../../../state-machines/transactions/mini-statement.machine.js';
import { pinChangeMachine } from '../../../state-machines/transactions/pin-change.machine.js';
import {
  transferMachine,
  type TransferInquiryOutput,
  type TransferOutput,
  type TransferReceipt,
} from '../../../state-machines/transactions/transfer.machine.js';
import { withdrawalMachine } from '../../../state-machines/transactions/withdrawal.machine.js';

export const sessionInput = (overrides: Partial<SessionInput> = {}): SessionInput => ({
  sessionId: 'S1',
  trigger: 'card',
  language: 'zh-CN',
  elderly: false,
  services: { withdrawal: true, deposit: false, transfer: false, balance: true, receipts: true },
  limits: {
    currency: 'CNY',
    maxWithdrawalMinor: 500_000,
    noteMultipleMinor: 10_000,
    fastCashMinor: [10_000, 50_000, 100_000],
  },
  ...overrides,
});

/** Every service offered, for sessions that exercise deposit and transfer. */
export const ALL_SERVICES = { withdrawal: true, deposit: true, transfer: true, balance: true, receipts: true };

/** A host answer; service data (payee name, transfer mode, statement lines) rides along. */
export type HostAnswer = HostResult & Record<string, unknown>;

export const approve = (extra: Record<string, unknown> = {}): HostAnswer => ({
  action: 'approve',
  responseCode: '00',
  ...extra,
});

export interface WorldScript {
  /** Host answers in order, shared by every host step; an empty queue is a host timeout. */
  readonly host?: readonly HostAnswer[];
  /** Bunches the acceptor counts, in order; with none left the customer never inserts anything. */
  readonly bunches?: readonly CashInOutput[];
  /** What cashInEnd reports credited, or 'fail'; default what the host approved. */
  readonly commit?: number | 'fail';
  readonly rollback?: CashInRollbackOutput | 'fail';
  /** PIN-pad entries for enterNewPin and confirmNewPin, in order. */
  readonly pinEntries?: readonly PinEntryOutput[];
  /** The PIN pad's comparisons, in order; 'fail' is a pad fault. */
  readonly pinsMatch?: readonly (boolean | 'fail')[];
}

/** A device step still waiting for the customer: it ends only when the machine stops it. */
const untilAborted = <T>(signal: AbortSignal): Promise<T> =>
  new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));

/** Fake device and host steps that record, in order, what the machines asked for. */
export function fakeWorld(script: WorldScript | HostResult[] = {}) {
  const s: WorldScript = Array.isArray(script) ? { host: script as HostAnswer[] } : (script as WorldScript);
  const steps: string[] = [];
  const hostQueue: HostAnswer[] = [...(s.host ?? [approve()])];
  const bunches = [...(s.bunches ?? [])];
  const pinEntries = [...(s.pinEntries ?? [])];
  const matches = [...(s.pinsMatch ?? [])];
  const waiting = new Map<string, () => void>();
  let approvedMinor = 0;

  const voidStep = <I = void>(name: string) =>
    fromPromise<void, I>(async () => {
      steps.push(name);
    });
  /** A step that waits until the test calls `release(name)`. */
  const waitStep = (name: string) =>
    fromPromise<void, void>(
      () =>
        new Promise<void>((resolve) => {
          steps.push(name);
          waiting.set(name, resolve);
        }),
    );
  const hostStep = <I, O = HostAnswer>(name: string, label: (input: I) => string = () => name) =>
    fromPromise<O, I>(async ({ input }) => {
      steps.push(label(input));
      const next = hostQueue.shift();
      if (!next) throw new Error('host timeout');
      return next as O;
    });
  const authorize = fromPromise<HostResult, { amountMinor: number }>(async ({ input }) => {
    steps.push('authorize');
    const next = hostQueue.shift();
    if (!next) throw new Error('host timeout');
    if (next.action === 'approve') approvedMinor = input.amountMinor;
    return next;
  });
  const pinEntry = (name: string) =>
    fromPromise<PinEntryOutput, void>(({ signal }) => {
      steps.push(name);
      const entry = pinEntries.shift();
      if (entry) return Promise.resolve(entry);
      // The customer is still typing: the entry runs until the machine stops it.
      return untilAborted(signal);
    });

  const actors = {
    session: {
      readCard: fromPromise<{ kind: 'card'; maskedPan: string; cardRef: string; chip: boolean }, void>(async () => {
        steps.push('readCard');
        return { kind: 'card', maskedPan: '622202******1234', cardRef: 'c1', chip: true };
      }),
      enterPin: fromPromise<PinEntryOutput, void>(async () => {
        steps.push('enterPin');
        return { completion: 'enter', digits: 6 };
      }),
      ejectCard: voidStep('ejectCard'),
      waitCardTaken: waitStep('waitCardTaken'),
      captureCard: voidStep('captureCard'),
    },
    withdrawal: {
      authorize,
      dispense: fromPromise<{ amountMinor: number }, { amountMinor: number }>(async ({ input }) => {
        steps.push(`dispense:${input.amountMinor}`);
        return { amountMinor: input.amountMinor };
      }),
      present: voidStep('present'),
      waitCashTaken: waitStep('waitCashTaken'),
      retractCash: voidStep('retractCash'),
      rejectCash: voidStep('rejectCash'),
      queueReversal: voidStep<{ reason: string; dispensedMinor: number }>('queueReversal'),
      printReceipt: voidStep<{ amountMinor: number }>('printReceipt'),
    },
    balance: {
      authorize,
      printBalance: voidStep<{ availableMinor: number; ledgerMinor: number }>('printBalance'),
    },
    deposit: {
      cashInStart: voidStep<{ currency: string }>('cashInStart'),
      cashIn: fromPromise<CashInOutput, void>(({ signal }) => {
        steps.push('cashIn');
        const bunch = bunches.shift();
        if (bunch) return Promise.resolve(bunch);
        // Nobody inserts anything: the count runs until the machine aborts it.
        return untilAborted(signal);
      }),
      authorize,
      cashInEnd: fromPromise<CashInEndOutput, void>(async () => {
        steps.push('cashInEnd');
        if (s.commit === 'fail') throw new Error('cashUnitError');
        return { creditedMinor: s.commit ?? approvedMinor };
      }),
      cashInRollback: fromPromise<CashInRollbackOutput, void>(async () => {
        steps.push('cashInRollback');
        if (s.rollback === 'fail') throw new Error('rollback failed');
        return s.rollback ?? { returnedNotes: 1 };
      }),
      waitNotesTaken: waitStep('waitNotesTaken'),
      retractNotes: fromPromise<void, { reason: RetractReason }>(async ({ input }) => {
        steps.push(`retractNotes:${input.reason}`);
      }),
      queueReversal: fromPromise<void, { reason: string; committedMinor: number }>(async ({ input }) => {
        steps.push(`queueReversal:${input.reason}`);
      }),
      printReceipt: fromPromise<void, { amountMinor: number; retainedNotes: number }>(async ({ input }) => {
        steps.push(`printReceipt:${input.amountMinor}:${input.retainedNotes}`);
      }),
    },
    transfer: {
      inquire: hostStep<{ payeeAccount: string; amountMinor: number }, TransferInquiryOutput>('inquire'),
      transfer: hostStep<{ payeeAccount: string; amountMinor: number; realTimeConfirmed: boolean }, TransferOutput>(
        'transfer',
        (i) => `transfer:${i.payeeAccount}:${i.amountMinor}:${i.realTimeConfirmed ? 'realTime' : 'delayed'}`,
      ),
      revoke: hostStep<{ reference: string }, HostResult>('revoke', (i) => `revoke:${i.reference}`),
      printReceipt: fromPromise<void, TransferReceipt>(async ({ input }) => {
        steps.push(`printReceipt:${input.revoked ? 'revoked' : input.mode}`);
      }),
    },
    pinChange: {
      enterNewPin: pinEntry('enterNewPin'),
      confirmNewPin: pinEntry('confirmNewPin'),
      pinsMatch: fromPromise<boolean, void>(async () => {
        steps.push('pinsMatch');
        const match = matches.shift() ?? false;
        if (match === 'fail') throw new Error('PIN pad fault');
        return match;
      }),
      changePin: hostStep<void, HostResult>('changePin'),
    },
    miniStatement: {
      fetchStatement: hostStep<void, MiniStatementOutput>('fetchStatement'),
      printStatement: voidStep<{ lines: readonly StatementEntry[] }>('printStatement'),
    },
  };
  /** Ends a waiting step, e.g. the customer takes the notes. */
  const release = (name: string): void => {
    const resolve = waiting.get(name);
    waiting.delete(name);
    resolve?.();
  };
  return {
    steps,
    ...actors,
    release,
    takeCash: () => release('waitCashTaken'),
    takeCard: () => release('waitCardTaken'),
  };
}

export type FakeWorld = ReturnType<typeof fakeWorld>;

/** The session machine with every effect provided by `world`, on a simulated clock. */
export function startSession(world: FakeWorld, overrides: Partial<SessionInput> = {}) {
  const clock = new SimulatedClock();
  const machine = sessionMachine.provide({
    actors: {
      ...world.session,
      withdrawal: withdrawalMachine.provide({ actors: world.withdrawal }),
      balance: balanceMachine.provide({ actors: world.balance }),
      deposit: depositMachine.provide({ actors: world.deposit }),
      transfer: transferMachine.provide({ actors: world.transfer }),
      pinChange: pinChangeMachine.provide({ actors: world.pinChange }),
      miniStatement: miniStatementMachine.provide({ actors: world.miniStatement }),
    },
  });
  const actor = createActor(machine, { input: sessionInput(overrides), clock }).start();
  return { actor, clock };
}

export type SessionActor = ReturnType<typeof startSession>['actor'];

export const tick = () => new Promise((r) => setImmediate(r));

/** Lets promise-based actors settle: a few macrotask turns. */
export async function settle(turns = 4): Promise<void> {
  for (let i = 0; i < turns; i += 1) await tick();
}

/** Card read, language chosen, PIN entered: the session waits on the menu. */
export async function toMenu(actor: SessionActor): Promise<void> {
  await settle();
  actor.send({ type: 'ui.languageSelected', language: 'zh-CN' });
  await settle();
}

/** A session at the menu, started with `script`, that chose `option` (e.g. `menu.deposit`). */
export async function sessionWith(
  option: string,
  script: WorldScript | HostResult[],
  overrides: Partial<SessionInput> = {},
) {
  const world = fakeWorld(script);
  const session = startSession(world, overrides);
  await toMenu(session.actor);
  session.actor.send({ type: 'ui.optionSelected', option });
  await settle();
  return { world, ...session };
}

/** The last transaction result the session recorded. */
export const lastResult = (actor: SessionActor) => actor.getSnapshot().context.results.at(-1);

/** The running transaction machine's snapshot inside the session. */
export function transaction<C = Record<string, unknown>>(actor: SessionActor) {
  const children = actor.getSnapshot().children as Record<string, { getSnapshot(): unknown } | undefined>;
  return children.transaction?.getSnapshot() as
    | { value: unknown; context: C; status: string; matches(value: unknown): boolean; can(event: unknown): boolean }
    | undefined;
}

/** The running transaction machine's state value, e.g. "counted". */
export const transactionState = (actor: SessionActor): unknown => transaction(actor)?.value;

export const flowState = (actor: SessionActor) => JSON.stringify(actor.getSnapshot().value);
