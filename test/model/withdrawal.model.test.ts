import { getSimplePaths } from 'xstate/graph';
import { describe, expect, it } from 'vitest';
import { withdrawalMachine, type WithdrawalInput } from '../../state-machines/transactions/withdrawal.machine.js';
import type { HostResult } from '../../state-machines/session/types.js';
import { atRoot, done, error, itReachesEverything, modelOf } from './model-kit.js';

const input: WithdrawalInput = {
  language: 'zh-CN',
  currency: 'CNY',
  maxAmountMinor: 500_000,
  noteMultipleMinor: 10_000,
  fastCashMinor: [50_000],
  receiptsAvailable: true,
  noticeMs: 5_000,
  takeCashMs: 30_000,
};

const host = (action: HostResult['action']): HostResult => ({ action, responseCode: '00', maxAmountMinor: 10_000 });

/**
 * Customer choices, host answers, device results and timeouts, all as plain
 * events: the traversal explores the real machine without running any actor.
 */
const events = [
  { type: 'ui.optionSelected', option: 'amount.50000' },
  { type: 'ui.optionSelected', option: 'amount.other' },
  { type: 'ui.amountEntered', amountMinor: 20_000 },
  { type: 'ui.amountEntered', amountMinor: 12_345 },
  { type: 'ui.optionSelected', option: 'receipt.yes' },
  { type: 'ui.optionSelected', option: 'receipt.no' },
  { type: 'ui.confirmed' },
  { type: 'ui.cancelPressed' },
  done('authorize', host('approve')),
  done('authorize', host('lowerAmount')),
  done('authorize', host('decline')),
  done('authorize', host('wrongPin')),
  done('authorize', host('captureCard')),
  error('authorize'),
  done('dispense', { amountMinor: 50_000 }),
  done('dispense', { amountMinor: 20_000 }),
  done('dispense', { amountMinor: 10_000 }),
  error('dispense'),
  done('present'),
  error('present'),
  done('waitCashTaken'),
  { type: 'xstate.after.takeCash.withdrawal.awaitingCashTaken' },
  done('printReceipt'),
  error('printReceipt'),
  done('rejectCash'),
  error('rejectCash'),
  done('retractCash'),
  error('retractCash'),
  done('queueReversal'),
  error('queueReversal'),
  { type: 'xstate.after.notice.withdrawal.refusedNotice' },
  { type: 'xstate.after.notice.withdrawal.failedNotice' },
] as never[];

type Snap = {
  value: unknown;
  status: string;
  context: { amountMinor: number; wantReceipt: boolean; dispensedMinor: number };
};

const serializeState = (s: Snap) =>
  JSON.stringify([s.value, s.context.amountMinor, s.context.wantReceipt, s.context.dispensedMinor]);

function visited(path: { steps: readonly { state: { value: unknown } }[] }): string[] {
  return path.steps.map((s) => JSON.stringify(s.state.value));
}

const machine = atRoot(withdrawalMachine);

describe('withdrawal machine, model-based', () => {
  const simple = getSimplePaths(machine, { events, input, serializeState } as never);
  itReachesEverything(modelOf<Snap>(machine, { events, input, serializeState }));

  it('on every path, cash that was presented is either taken or retracted', () => {
    for (const path of simple) {
      const states = visited(path);
      if (path.state.status !== 'done' || !states.includes('"presenting"')) continue;
      expect(states.some((s) => s === '"printingReceipt"' || s === '"completed"' || s === '"retracting"')).toBe(true);
    }
  });

  it('on every path, a reversal is queued exactly when an approval did not end in cash handed over', () => {
    for (const path of simple) {
      const states = visited(path);
      const final = path.state.status === 'done';
      if (!final) continue;
      const approved = states.includes('"dispensing"');
      const handedOver = states.includes('"completed"');
      const reversed = states.includes('"reversing"');
      expect(reversed).toBe(approved && !handedOver);
    }
  });

  it('never completes without the full amount taken by the customer', () => {
    for (const path of simple) {
      if (path.state.status !== 'done' || path.state.output === undefined) continue;
      const output = path.state.output as { outcome: string; amountMinor: number };
      const context = path.state.context as { amountMinor: number };
      if (output.outcome === 'completed') expect(output.amountMinor).toBe(context.amountMinor);
      else expect(output.amountMinor).toBe(0);
    }
  });
});
