import { fromPromise } from 'xstate';
import type { SessionInput } from '../../../state-machines/session/session.machine.js';
import type { HostResult } from '../../../state-machines/session/types.js';

export const sessionInput = (overrides: Partial<SessionInput> = {}): SessionInput => ({
  sessionId: 'S1',
  trigger: 'card',
  language: 'zh-CN',
  elderly: false,
  services: { withdrawal: true, deposit: false, transfer: false, balance: true, receipts: true },
  limits: { currency: 'CNY', maxWithdrawalMinor: 500_000, noteMultipleMinor: 10_000, fastCashMinor: [10_000, 50_000, 100_000] },
  ...overrides,
});

/** Records which device and host steps ran, in order. */
export function fakeWorld(host: HostResult[] = [{ action: 'approve', responseCode: '00' }]) {
  const steps: string[] = [];
  const hostQueue = [...host];
  let cashTaken: (() => void) | undefined;
  let cardTaken: (() => void) | undefined;
  const step = <T>(name: string, value: T) =>
    fromPromise<T, unknown>(async () => {
      steps.push(name);
      return value;
    });
  const actors = {
    readCard: step('readCard', { kind: 'card' as const, maskedPan: '622202******1234', cardRef: 'c1', chip: true }),
    enterPin: step('enterPin', { completion: 'enter' as const, digits: 6 }),
    ejectCard: step('ejectCard', undefined),
    waitCardTaken: fromPromise<void, unknown>(
      () =>
        new Promise<void>((resolve) => {
          steps.push('waitCardTaken');
          cardTaken = resolve;
        }),
    ),
    captureCard: step('captureCard', undefined),
  };
  const transactionActors = {
    authorize: fromPromise<HostResult, unknown>(async () => {
      steps.push('authorize');
      const next = hostQueue.shift();
      if (!next) throw new Error('host timeout');
      return next;
    }),
    dispense: fromPromise<{ amountMinor: number }, { amountMinor: number }>(async ({ input }) => {
      steps.push(`dispense:${input.amountMinor}`);
      return { amountMinor: input.amountMinor };
    }),
    present: step('present', undefined),
    waitCashTaken: fromPromise<void, unknown>(
      () =>
        new Promise<void>((resolve) => {
          steps.push('waitCashTaken');
          cashTaken = resolve;
        }),
    ),
    retractCash: step('retractCash', undefined),
    rejectCash: step('rejectCash', undefined),
    queueReversal: step('queueReversal', undefined),
    printReceipt: step('printReceipt', undefined),
    printBalance: step('printBalance', undefined),
  };
  return {
    steps,
    actors,
    transactionActors,
    takeCash: () => cashTaken?.(),
    takeCard: () => cardTaken?.(),
  };
}
