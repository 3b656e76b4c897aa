import { describe, expect, it } from 'vitest';
import type { ClassifiedNote, NoteClassification } from '../../drivers/cash-acceptor/contract.js';
import {
  CREDITED_LEVELS,
  depositMachine,
  isRetained,
  type DepositContext,
  type DepositInput,
} from '../../state-machines/transactions/deposit.machine.js';
import type { HostResult, TransactionResult } from '../../state-machines/session/types.js';
import { depositScreen } from '../../main/runtime/view-projection.js';
import { atRoot, done, error, itReachesEverything, modelOf } from './model-kit.js';

const input: DepositInput = {
  currency: 'CNY',
  receiptsAvailable: true,
  // Two 100-yuan notes reach the large-cash line; one does not.
  sessionDepositedMinor: 4_985_000,
  largeCashMinor: 5_000_000,
  // A small escrow keeps "add more" finite.
  maxNotes: 2,
  noticeMs: 5_000,
  takeNotesMs: 30_000,
};

const note = (value: number, classification: NoteClassification = 'fit'): ClassifiedNote => ({
  currency: 'CNY',
  value,
  classification,
});
const host = (action: HostResult['action']): HostResult => ({ action, responseCode: '00' });
const after = (delay: string, state: string) => ({ type: `xstate.after.${delay}.deposit.${state}` }) as never;

/** Customer choices, acceptor counts, host answers, device faults and timeouts, all as plain events. */
const events = [
  { type: 'ui.optionSelected', option: 'deposit.more' },
  { type: 'ui.optionSelected', option: 'receipt.yes' },
  { type: 'ui.optionSelected', option: 'receipt.no' },
  { type: 'ui.confirmed' },
  { type: 'ui.cancelPressed' },
  { type: 'watchdog.expired' },
  done('cashInStart'),
  error('cashInStart'),
  done('cashIn', { notes: [note(10_000)], refused: 0 }),
  done('cashIn', { notes: [note(10_000, 'counterfeit')], refused: 0 }),
  done('cashIn', { notes: [note(10_000, 'unfit'), note(5_000, 'suspect')], refused: 1, refuseReason: 'invalidBill' }),
  done('cashIn', { notes: [], refused: 2, refuseReason: 'counterfeit' }),
  error('cashIn'),
  done('waitNotesTaken'),
  after('takeNotes', 'awaitingRefusedTaken'),
  after('takeNotes', 'awaitingReturnTaken'),
  done('retractNotes'),
  error('retractNotes'),
  done('authorize', host('approve')),
  done('authorize', host('decline')),
  done('authorize', host('lowerAmount')),
  done('authorize', host('wrongPin')),
  done('authorize', host('captureCard')),
  error('authorize'),
  // What the acceptor reports it stored: each reachable credit, and one that matches none.
  ...[10_000, 20_000, 1].map((creditedMinor) => done('cashInEnd', { creditedMinor })),
  error('cashInEnd'),
  done('cashInRollback', { returnedNotes: 0 }),
  done('cashInRollback', { returnedNotes: 2 }),
  error('cashInRollback'),
  done('queueReversal'),
  error('queueReversal'),
  done('printReceipt'),
  error('printReceipt'),
  after('notice', 'refusedNotice'),
  after('notice', 'failedNotice'),
] as never[];

type Snap = {
  value: unknown;
  context: DepositContext;
  status: string;
  output?: TransactionResult;
  matches(value: unknown): boolean;
};

const serializeState = (s: Snap) =>
  JSON.stringify([
    s.value,
    // The escrow as a multiset: the order notes arrived in steers nothing.
    s.context.escrow.map((n) => `${n.classification}${n.value}`).sort(),
    s.context.refusedPending,
    s.context.approval?.action,
    s.context.committedMinor,
    s.context.returnedNotes,
    s.context.notes,
    s.context.reversed,
    s.context.customerGone,
    s.context.outcome,
    s.context.message,
  ]);

const machine = atRoot(depositMachine);

const creditable = (notes: readonly ClassifiedNote[]) =>
  notes.filter((n) => CREDITED_LEVELS.includes(n.classification)).reduce((sum, n) => sum + n.value, 0);

describe('deposit machine, model-based', () => {
  const model = modelOf<Snap>(machine, { events, input, serializeState });
  const { snapshots, ends } = model;
  // Reaching every state reaches the final ones too, so `ends` is never empty.
  itReachesEverything(model);

  it('never credits counterfeit or suspect notes: the host is asked for fit and unfit notes only', () => {
    const asking = snapshots.filter((s) => s.matches('authorizing'));
    expect(asking.length).toBeGreaterThan(0);
    for (const s of asking) expect(s.context.amountMinor).toBe(creditable(s.context.escrow));
    for (const s of ends) {
      const amount = s.output?.amountMinor ?? 0;
      expect(amount).toBe(s.output?.outcome === 'completed' ? creditable(s.context.escrow) : 0);
    }
  });

  it('never lists counterfeit or suspect notes among the notes handed back', () => {
    const returning = snapshots.filter((s) => s.matches('awaitingReturnTaken'));
    expect(returning.some((s) => s.context.escrow.some(isRetained))).toBe(true);
    for (const s of returning) {
      const listed = depositScreen(s).data?.notes ?? [];
      const listedCount = listed.reduce((sum, n) => sum + n.count, 0);
      expect(listedCount).toBeLessThanOrEqual(s.context.escrow.filter((n) => !isRetained(n)).length);
      expect(listedCount === 0 || listedCount === s.context.returnedNotes).toBe(true);
    }
  });

  it('after a host approval, ends with the notes committed or a reversal queued', () => {
    const approved = ends.filter((s) => s.context.approval?.action === 'approve');
    expect(approved.length).toBeGreaterThan(0);
    for (const s of approved) {
      const committed = s.context.notes === 'committed' && s.output?.outcome === 'completed';
      expect(committed || s.context.reversed).toBe(true);
      if (s.context.reversed) expect(s.output?.outcome).toBe('failed');
    }
    // And nothing is reversed that the host never approved.
    for (const s of ends.filter((e) => e.context.approval === undefined)) expect(s.context.reversed).toBe(false);
  });

  it("ends with the customer's notes committed, returned, retracted or reported stuck — never left in escrow", () => {
    for (const s of ends) {
      expect(s.context.notes).not.toBe('inEscrow');
      const hadNotes = s.context.escrow.some((n) => !isRetained(n));
      if (hadNotes) expect(['committed', 'returned', 'retracted', 'stuck']).toContain(s.context.notes);
      if (s.context.notes === 'stuck') expect(s.output?.reason).toBe('error.depositStuck');
      if (s.output?.outcome === 'completed') {
        expect(s.context.notes).toBe('committed');
        expect(s.context.committedMinor).toBe(s.context.amountMinor);
      }
    }
  });
});
