import { waitFor } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { ClassifiedNote, NoteClassification } from '../../../drivers/cash-acceptor/contract.js';
import type { DepositContext } from '../../../state-machines/transactions/deposit.machine.js';
import { depositScreen } from '../../../main/runtime/view-projection.js';
import {
  ALL_SERVICES,
  approve,
  flowState,
  lastResult,
  sessionWith,
  settle,
  transaction,
  transactionState,
  type WorldScript,
} from './session-fixtures.js';

const note = (value: number, classification: NoteClassification = 'fit'): ClassifiedNote => ({
  currency: 'CNY',
  value,
  classification,
});
const notes = (n: number, value: number, classification: NoteClassification = 'fit'): ClassifiedNote[] =>
  Array.from({ length: n }, () => note(value, classification));

const depositSession = (script: WorldScript) => sessionWith('menu.deposit', script, { services: ALL_SERVICES });

describe('deposit in a session', () => {
  it('counts, returns refused notes, adds more, credits only genuine notes and commits after approval', async () => {
    const { actor, world } = await depositSession({
      bunches: [
        { notes: [...notes(2, 10_000), note(10_000, 'counterfeit')], refused: 1, refuseReason: 'invalidBill' },
        { notes: [note(5_000)], refused: 0 },
      ],
    });
    expect(transactionState(actor)).toBe('awaitingRefusedTaken');
    expect(depositScreen(transaction<DepositContext>(actor))).toMatchObject({
      screen: 'depositReturn',
      data: { rejectedNotes: 1, message: 'deposit.refused.invalidBill' },
    });
    world.release('waitNotesTaken');
    await settle();
    expect(transactionState(actor)).toBe('counted');
    // The counterfeit note is reported, not counted.
    expect(depositScreen(transaction<DepositContext>(actor))).toMatchObject({
      screen: 'depositConfirm',
      options: ['deposit.more'],
      data: { amountMinor: 20_000, notes: [{ valueMinor: 10_000, count: 2 }], message: 'deposit.suspectRetained' },
    });
    actor.send({ type: 'ui.optionSelected', option: 'deposit.more' });
    await settle();
    expect(transaction<DepositContext>(actor)?.context.amountMinor).toBe(25_000);
    actor.send({ type: 'ui.confirmed' });
    await settle();
    expect(transactionState(actor)).toBe('askingReceipt');
    actor.send({ type: 'ui.optionSelected', option: 'receipt.yes' });
    await settle();
    expect(world.steps).toEqual([
      'readCard',
      'enterPin',
      'cashInStart',
      'cashIn',
      'waitNotesTaken',
      'cashIn',
      'authorize',
      'cashInEnd',
      'printReceipt:25000:1',
    ]);
    expect(lastResult(actor)).toMatchObject({ kind: 'deposit', outcome: 'completed', amountMinor: 25_000 });
    expect(flowState(actor)).toContain('anotherTransaction');
  });

  it('hands the counted notes back when the host declines, and never commits them', async () => {
    const { actor, world } = await depositSession({
      host: [{ action: 'decline', responseCode: '05' }],
      bunches: [{ notes: notes(3, 10_000), refused: 0 }],
      rollback: { returnedNotes: 3 },
    });
    actor.send({ type: 'ui.confirmed' });
    await settle();
    expect(transactionState(actor)).toBe('awaitingReturnTaken');
    expect(depositScreen(transaction<DepositContext>(actor))).toMatchObject({
      screen: 'depositReturn',
      data: { notes: [{ valueMinor: 10_000, count: 3 }], deadlineSeconds: 30 },
    });
    world.release('waitNotesTaken');
    await settle();
    actor.send({ type: 'ui.confirmed' });
    await settle();
    expect(world.steps).not.toContain('cashInEnd');
    expect(world.steps.filter((s) => s.startsWith('queueReversal'))).toEqual([]);
    expect(lastResult(actor)).toMatchObject({ outcome: 'declined', reason: 'host.decline', amountMinor: 0 });
  });

  it('returns the notes and queues a reversal when the commit fails after approval', async () => {
    const { actor, world } = await depositSession({
      bunches: [{ notes: notes(2, 10_000), refused: 0 }],
      commit: 'fail',
      rollback: { returnedNotes: 2 },
    });
    actor.send({ type: 'ui.confirmed' });
    await settle();
    world.release('waitNotesTaken');
    await settle();
    expect(world.steps.slice(-5)).toEqual([
      'authorize',
      'cashInEnd',
      'cashInRollback',
      'waitNotesTaken',
      'queueReversal:error.depositFailed',
    ]);
    actor.send({ type: 'ui.confirmed' });
    await settle();
    expect(lastResult(actor)).toMatchObject({ outcome: 'failed', amountMinor: 0 });
  });

  it('reverses the credit when the acceptor stores other notes than the host approved', async () => {
    const { actor, world } = await depositSession({
      bunches: [{ notes: notes(2, 10_000), refused: 0 }],
      commit: 10_000,
    });
    actor.send({ type: 'ui.confirmed' });
    await settle();
    expect(world.steps.at(-1)).toBe('queueReversal:error.depositMismatch');
    expect(world.steps).not.toContain('cashInRollback');
  });

  it('retracts returned notes that are not taken, and ends the session as the customer has gone', async () => {
    const { actor, world, clock } = await depositSession({
      bunches: [{ notes: notes(2, 10_000), refused: 0 }],
      rollback: { returnedNotes: 2 },
    });
    actor.send({ type: 'ui.cancelPressed' });
    await settle();
    expect(transactionState(actor)).toBe('awaitingReturnTaken');
    clock.increment(30_000);
    await settle();
    expect(world.steps).toContain('retractNotes:returnNotTaken');
    expect(lastResult(actor)).toMatchObject({
      outcome: 'canceled',
      reason: 'deposit.notesRetracted',
      customerGone: true,
    });
    // No "another transaction?" for nobody: the card comes out at once.
    expect(world.steps.at(-2)).toBe('ejectCard');
    expect(world.steps.at(-1)).toBe('waitCardTaken');
  });

  it('retracts refused notes left at the slot and rolls the deposit back', async () => {
    const { actor, world, clock } = await depositSession({
      bunches: [{ notes: notes(1, 10_000), refused: 2, refuseReason: 'invalidBill' }],
      rollback: { returnedNotes: 1 },
    });
    clock.increment(30_000);
    await settle();
    expect(world.steps.slice(-3)).toEqual(['retractNotes:refusedNotTaken', 'cashInRollback', 'waitNotesTaken']);
    world.release('waitNotesTaken');
    await settle();
    expect(lastResult(actor)).toMatchObject({ outcome: 'canceled', customerGone: true });
  });

  it('asks for an extra confirmation at 50,000 CNY in the session before it asks the host', async () => {
    const { actor, world } = await depositSession({ bunches: [{ notes: notes(500, 10_000), refused: 0 }] });
    actor.send({ type: 'ui.confirmed' });
    await settle();
    expect(transactionState(actor)).toBe('confirmingLargeCash');
    expect(depositScreen(transaction<DepositContext>(actor))).toMatchObject({
      screen: 'depositLargeCash',
      data: { amountMinor: 5_000_000, message: 'deposit.largeCash' },
    });
    expect(world.steps).not.toContain('authorize');
    actor.send({ type: 'ui.confirmed' });
    await settle();
    expect(world.steps).toContain('authorize');
  });

  it('offers no deposit of counterfeit notes alone, and keeps them when the customer cancels', async () => {
    const { actor, world } = await depositSession({
      bunches: [{ notes: [note(10_000, 'counterfeit'), note(10_000, 'suspect')], refused: 0 }],
      rollback: { returnedNotes: 0 },
    });
    expect(transactionState(actor)).toBe('counted');
    actor.send({ type: 'ui.confirmed' });
    await settle();
    expect(transactionState(actor)).toBe('counted');
    actor.send({ type: 'ui.cancelPressed' });
    await settle();
    expect(world.steps).not.toContain('authorize');
    expect(world.steps).not.toContain('waitNotesTaken');
    expect(lastResult(actor)).toMatchObject({ outcome: 'canceled', amountMinor: 0 });
  });

  it('settles the escrow before the session ends when the watchdog expires', async () => {
    const { actor, world, clock } = await depositSession({
      bunches: [{ notes: notes(2, 10_000), refused: 0 }],
      rollback: { returnedNotes: 2 },
    });
    clock.increment(30_000);
    expect(actor.getSnapshot().matches({ active: { watchdog: 'asking' } })).toBe(true);
    clock.increment(15_000);
    await settle();
    expect(flowState(actor)).toContain('transaction');
    expect(world.steps.slice(-2)).toEqual(['cashInRollback', 'waitNotesTaken']);
    world.release('waitNotesTaken');
    await settle();
    expect(world.steps.at(-2)).toBe('ejectCard');
    world.takeCard();
    const done = await waitFor(actor, (s) => s.status === 'done');
    expect(done.output?.results.at(-1)).toMatchObject({ kind: 'deposit', outcome: 'canceled', customerGone: true });
  });

  it('rolls back when the host cannot be reached after counting', async () => {
    const { actor, world } = await depositSession({ host: [], bunches: [{ notes: notes(1, 10_000), refused: 0 }] });
    actor.send({ type: 'ui.confirmed' });
    await settle();
    world.release('waitNotesTaken');
    await settle();
    expect(world.steps.filter((s) => s.startsWith('queueReversal'))).toEqual([]);
    actor.send({ type: 'ui.confirmed' });
    await settle();
    expect(lastResult(actor)).toMatchObject({ outcome: 'failed', reason: 'error.hostUnavailable' });
  });

  it('counts the earlier deposits of the session for the large-cash rule', async () => {
    const { actor, world } = await depositSession({
      host: [approve(), approve()],
      bunches: [
        { notes: notes(300, 10_000), refused: 0 },
        { notes: notes(200, 10_000), refused: 0 },
      ],
    });
    actor.send({ type: 'ui.confirmed' });
    await settle();
    actor.send({ type: 'ui.optionSelected', option: 'receipt.no' });
    await settle();
    actor.send({ type: 'ui.optionSelected', option: 'another.yes' });
    await settle();
    actor.send({ type: 'ui.optionSelected', option: 'menu.deposit' });
    await settle();
    actor.send({ type: 'ui.confirmed' });
    await settle();
    expect(transactionState(actor)).toBe('confirmingLargeCash');
    expect(world.steps.filter((s) => s === 'authorize')).toHaveLength(1);
  });
});
