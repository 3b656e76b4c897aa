import { fromPromise } from 'xstate';
import type { PinEntryOutput, SessionInput } from '../../../state-machines/session/session.machine.js';
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

/** Fake device and host steps that record, in order, what the machines asked for. */
export function fakeWorld(host: HostResult[] = [{ action: 'approve', responseCode: '00' }]) {
  const steps: string[] = [];
  const hostQueue = [...host];
  let cashTaken: (() => void) | undefined;
  let cardTaken: (() => void) | undefined;
  const voidStep = <I = void>(name: string) =>
    fromPromise<void, I>(async () => {
      steps.push(name);
    });
  const waitStep = (name: string, keep: (resolve: () => void) => void) =>
    fromPromise<void, void>(
      () =>
        new Promise<void>((resolve) => {
          steps.push(name);
          keep(resolve);
        }),
    );
  const authorize = fromPromise<HostResult, { amountMinor: number }>(async () => {
    steps.push('authorize');
    const next = hostQueue.shift();
    if (!next) throw new Error('host timeout');
    return next;
  });
  return {
    steps,
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
      waitCardTaken: waitStep('waitCardTaken', (r) => (cardTaken = r)),
      captureCard: voidStep('captureCard'),
    },
    withdrawal: {
      authorize,
      dispense: fromPromise<{ amountMinor: number }, { amountMinor: number }>(async ({ input }) => {
        steps.push(`dispense:${input.amountMinor}`);
        return { amountMinor: input.amountMinor };
      }),
      present: voidStep('present'),
      waitCashTaken: waitStep('waitCashTaken', (r) => (cashTaken = r)),
      retractCash: voidStep('retractCash'),
      rejectCash: voidStep('rejectCash'),
      queueReversal: voidStep<{ reason: string; dispensedMinor: number }>('queueReversal'),
      printReceipt: voidStep<{ amountMinor: number }>('printReceipt'),
    },
    balance: {
      authorize,
      printBalance: voidStep<{ availableMinor: number; ledgerMinor: number }>('printBalance'),
    },
    takeCash: () => cashTaken?.(),
    takeCard: () => cardTaken?.(),
  };
}
