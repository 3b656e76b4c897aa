import { describe, expect, it } from 'vitest';
import {
  transferMachine,
  type TransferContext,
  type TransferInput,
} from '../../state-machines/transactions/transfer.machine.js';
import type { HostResult, TransactionResult } from '../../state-machines/session/types.js';
import { transferScreen } from '../../main/runtime/view-projection.js';
import { atRoot, done, error, itReachesEverything, modelOf } from './model-kit.js';

const input: TransferInput = {
  currency: 'CNY',
  maxAmountMinor: 5_000_000,
  receiptsAvailable: true,
  creditDelayHours: 24,
  noticeMs: 5_000,
};

const host = (action: HostResult['action'], extra: object = {}): HostResult => ({
  action,
  responseCode: '00',
  ...extra,
});

const events = [
  { type: 'ui.textEntered', field: 'payeeAccount', text: '6228480000000004' },
  { type: 'ui.textEntered', field: 'payeeAccount', text: '1234' },
  { type: 'ui.textEntered', field: 'complaint', text: '6228480000000004' },
  { type: 'ui.amountEntered', amountMinor: 100_000 },
  { type: 'ui.amountEntered', amountMinor: 9_000_000 },
  { type: 'ui.optionSelected', option: 'fraudWarning.acknowledged' },
  { type: 'ui.optionSelected', option: 'transfer.revoke' },
  { type: 'ui.optionSelected', option: 'receipt.yes' },
  { type: 'ui.optionSelected', option: 'receipt.no' },
  { type: 'ui.confirmed' },
  { type: 'ui.cancelPressed' },
  { type: 'watchdog.expired' },
  done('inquire', host('approve', { payeeNameMasked: '*四', feeMinor: 200, mode: 'delayed' })),
  done('inquire', host('approve', { payeeNameMasked: '*明', mode: 'realTime' })),
  done('inquire', host('approve')),
  done('inquire', host('decline')),
  done('inquire', host('lowerAmount')),
  done('inquire', host('wrongPin')),
  error('inquire'),
  done('transfer', host('approve', { mode: 'delayed', reference: 'T1', revocable: true, executeAtMs: 86_400_000 })),
  done('transfer', host('approve', { mode: 'realTime' })),
  done('transfer', host('insufficientFunds')),
  done('transfer', host('captureCard')),
  error('transfer'),
  done('revoke', host('approve')),
  done('revoke', host('decline')),
  error('revoke'),
  done('printReceipt'),
  error('printReceipt'),
  { type: 'xstate.after.notice.transfer.refusedNotice' },
  { type: 'xstate.after.notice.transfer.failedNotice' },
] as never[];

type Snap = {
  value: unknown;
  context: TransferContext;
  status: string;
  output?: TransactionResult;
  matches(value: unknown): boolean;
};

const serializeState = (s: Snap) => {
  const c = s.context;
  return JSON.stringify([
    s.value,
    c.payeeAccount,
    c.amountMinor,
    c.payeeNameMasked,
    c.mode,
    c.warningAcknowledged,
    c.nameConfirmed,
    c.result?.reference,
    c.revoked,
    c.customerGone,
    c.message,
    c.outcome,
  ]);
};

const machine = atRoot(transferMachine);

/** States the machine is in once it asked the host to move the money. */
const AFTER_RELEASE = ['transferring', 'result', 'revoking', 'askingReceipt', 'printingReceipt'];

describe('transfer machine, model-based', () => {
  const model = modelOf<Snap>(machine, { events, input, serializeState });
  const { adjacency, snapshots } = model;
  itReachesEverything(model);

  it('never asks the host to transfer without the fraud warning acknowledged and the masked payee name confirmed', () => {
    // Every edge into `transferring`: from the confirmation, after both conditions held.
    let releases = 0;
    for (const { state, transitions } of Object.values(adjacency)) {
      const from = state as unknown as Snap;
      for (const { state: next } of Object.values(transitions)) {
        if (!(next as unknown as Snap).matches('transferring') || from.matches('transferring')) continue;
        releases += 1;
        expect(from.matches('confirming')).toBe(true);
        expect(from.context.warningAcknowledged).toBe(true);
        expect(from.context.payeeNameMasked).toMatch(/\S/);
      }
    }
    expect(releases).toBeGreaterThan(0);
    for (const s of snapshots.filter((x) => AFTER_RELEASE.some((v) => x.matches(v)))) {
      expect(s.context.warningAcknowledged && s.context.nameConfirmed).toBe(true);
    }
    for (const s of snapshots.filter((x) => x.status === 'done' && (x.output?.amountMinor ?? 0) > 0)) {
      expect(s.context.nameConfirmed).toBe(true);
    }
  });

  it('shows the 24-hour notice on the confirmation unless the transfer runs in real time', () => {
    const confirming = snapshots.filter((s) => s.matches('confirming'));
    expect(new Set(confirming.map((s) => s.context.mode))).toEqual(new Set(['delayed', 'realTime']));
    for (const s of confirming) {
      const data = transferScreen(s).data ?? {};
      expect(data.payeeNameMasked).toBe(s.context.payeeNameMasked);
      expect(data.creditDelayHours).toBe(s.context.mode === 'delayed' ? 24 : undefined);
    }
  });

  it('offers revocation only for a revocable transfer, and money moved only when it was not revoked', () => {
    for (const s of snapshots.filter((x) => x.matches('result'))) {
      const offered = (transferScreen(s).options ?? []).includes('transfer.revoke');
      expect(offered).toBe(s.context.result?.revocable === true);
    }
    for (const s of snapshots.filter((x) => x.status === 'done')) {
      const moved = s.output?.outcome === 'completed';
      expect(s.output?.amountMinor).toBe(moved ? s.context.amountMinor : 0);
      if (s.context.revoked) expect(s.output?.outcome).toBe('canceled');
    }
  });
});
