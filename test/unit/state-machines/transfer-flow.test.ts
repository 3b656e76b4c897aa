import { describe, expect, it } from 'vitest';
import type { TransferContext } from '../../../state-machines/transactions/transfer.machine.js';
import { transferScreen } from '../../../main/runtime/view-projection.js';
import {
  ALL_SERVICES,
  approve,
  lastResult,
  sessionWith,
  settle,
  transaction,
  transactionState,
  type HostAnswer,
  type SessionActor,
} from './session-fixtures.js';

const PAYEE = '6228480000000004';
const inquiry = (mode: 'delayed' | 'realTime' = 'delayed') => approve({ payeeNameMasked: '*四', feeMinor: 200, mode });
const delayed = approve({ mode: 'delayed', reference: 'T1', revocable: true, executeAtMs: 86_400_000 });

const transferSession = (host: HostAnswer[]) => sessionWith('menu.transfer', { host }, { services: ALL_SERVICES });

/** Payee and amount typed, inquiry answered: the fraud warning is showing. */
async function toWarning(actor: SessionActor): Promise<void> {
  actor.send({ type: 'ui.textEntered', field: 'payeeAccount', text: PAYEE });
  actor.send({ type: 'ui.amountEntered', amountMinor: 100_000 });
  await settle();
}

const screen = (actor: SessionActor) => transferScreen(transaction<TransferContext>(actor));

describe('transfer in a session', () => {
  it('runs payee → amount → inquiry → warning → confirmation with the 24-hour notice → pending transfer', async () => {
    const { actor, world } = await transferSession([inquiry(), delayed]);
    await toWarning(actor);
    expect(screen(actor)).toEqual({ screen: 'transferWarning', options: ['fraudWarning.acknowledged'] });
    // A generic Confirm does not get past the warning.
    actor.send({ type: 'ui.confirmed' });
    expect(transactionState(actor)).toBe('warning');
    actor.send({ type: 'ui.optionSelected', option: 'fraudWarning.acknowledged' });
    expect(screen(actor)).toEqual({
      screen: 'transferConfirm',
      data: {
        currency: 'CNY',
        amountMinor: 100_000,
        feeMinor: 200,
        payeeAccountMasked: '6228 **** **** 0004',
        payeeNameMasked: '*四',
        creditDelayHours: 24,
      },
    });
    actor.send({ type: 'ui.confirmed' });
    await settle();
    expect(screen(actor)).toMatchObject({
      screen: 'notice',
      options: ['transfer.revoke'],
      data: { message: 'transfer.pending', creditDelayHours: 24 },
    });
    actor.send({ type: 'ui.confirmed' });
    actor.send({ type: 'ui.optionSelected', option: 'receipt.yes' });
    await settle();
    expect(world.steps).toEqual([
      'readCard',
      'enterPin',
      'inquire',
      `transfer:${PAYEE}:100000:delayed`,
      'printReceipt:delayed',
    ]);
    expect(lastResult(actor)).toMatchObject({ kind: 'transfer', outcome: 'completed', amountMinor: 100_000 });
  });

  it('revokes the pending transfer from the result screen', async () => {
    const { actor, world } = await transferSession([inquiry(), delayed, approve()]);
    await toWarning(actor);
    actor.send({ type: 'ui.optionSelected', option: 'fraudWarning.acknowledged' });
    actor.send({ type: 'ui.confirmed' });
    await settle();
    actor.send({ type: 'ui.optionSelected', option: 'transfer.revoke' });
    await settle();
    actor.send({ type: 'ui.optionSelected', option: 'receipt.yes' });
    await settle();
    expect(world.steps.slice(-2)).toEqual(['revoke:T1', 'printReceipt:revoked']);
    expect(lastResult(actor)).toMatchObject({ outcome: 'canceled', reason: 'transfer.revoked', amountMinor: 0 });
  });

  it('keeps the transfer and says so when the revocation is refused', async () => {
    const { actor } = await transferSession([inquiry(), delayed, { action: 'decline', responseCode: '05' }]);
    await toWarning(actor);
    actor.send({ type: 'ui.optionSelected', option: 'fraudWarning.acknowledged' });
    actor.send({ type: 'ui.confirmed' });
    await settle();
    actor.send({ type: 'ui.optionSelected', option: 'transfer.revoke' });
    await settle();
    expect(transactionState(actor)).toBe('result');
    expect(screen(actor)).toMatchObject({ data: { message: 'transfer.revokeFailed' } });
  });

  it('transfers to an own account in real time: no 24-hour notice, nothing to revoke', async () => {
    const { actor, world } = await transferSession([inquiry('realTime'), approve({ mode: 'realTime' })]);
    await toWarning(actor);
    actor.send({ type: 'ui.optionSelected', option: 'fraudWarning.acknowledged' });
    expect(screen(actor).data).not.toHaveProperty('creditDelayHours');
    actor.send({ type: 'ui.confirmed' });
    await settle();
    expect(world.steps.at(-1)).toBe(`transfer:${PAYEE}:100000:realTime`);
    expect(screen(actor)).toMatchObject({ screen: 'notice', options: [], data: { message: 'transfer.completed' } });
    expect(transaction(actor)?.can({ type: 'ui.optionSelected', option: 'transfer.revoke' })).toBe(false);
    actor.send({ type: 'ui.optionSelected', option: 'transfer.revoke' });
    await settle();
    expect(world.steps.some((s) => s.startsWith('revoke'))).toBe(false);
  });

  it('records a transfer made for a customer who then walked away, and ends the session', async () => {
    const { actor, world, clock } = await transferSession([inquiry(), delayed]);
    await toWarning(actor);
    actor.send({ type: 'ui.optionSelected', option: 'fraudWarning.acknowledged' });
    actor.send({ type: 'ui.confirmed' });
    await settle();
    clock.increment(30_000);
    clock.increment(15_000);
    await settle();
    expect(lastResult(actor)).toMatchObject({ outcome: 'completed', amountMinor: 100_000, customerGone: true });
    expect(world.steps.slice(-2)).toEqual(['ejectCard', 'waitCardTaken']);
  });

  it('refuses an account number that is not 12 to 19 digits', async () => {
    const { actor } = await transferSession([]);
    for (const text of ['12345678901', '12345678901234567890', '62284800000000x4']) {
      actor.send({ type: 'ui.textEntered', field: 'payeeAccount', text });
      expect(transactionState(actor)).toBe('enteringPayee');
      expect(screen(actor)).toMatchObject({ data: { message: 'transfer.invalidAccount' } });
    }
    actor.send({ type: 'ui.textEntered', field: 'payeeAccount', text: '622848000000' });
    expect(transactionState(actor)).toBe('enteringAmount');
  });

  it('refuses an amount over the limit', async () => {
    const { actor } = await transferSession([]);
    actor.send({ type: 'ui.textEntered', field: 'payeeAccount', text: PAYEE });
    actor.send({ type: 'ui.amountEntered', amountMinor: 5_000_001 });
    expect(transactionState(actor)).toBe('enteringAmount');
    expect(screen(actor)).toMatchObject({ data: { message: 'transfer.invalidAmount' } });
  });

  it('stops when the host names no payee', async () => {
    const { actor, world } = await transferSession([approve()]);
    await toWarning(actor);
    expect(transactionState(actor)).toBe('refusedNotice');
    expect(screen(actor)).toEqual({ screen: 'notice', data: { message: 'transfer.payeeNotFound' } });
    actor.send({ type: 'ui.confirmed' });
    await settle();
    expect(world.steps.some((s) => s.startsWith('transfer:'))).toBe(false);
    expect(lastResult(actor)).toMatchObject({ outcome: 'declined' });
  });

  it('cancels at the warning without moving money', async () => {
    const { actor, world } = await transferSession([inquiry()]);
    await toWarning(actor);
    actor.send({ type: 'ui.cancelPressed' });
    await settle();
    expect(world.steps.some((s) => s.startsWith('transfer:'))).toBe(false);
    expect(lastResult(actor)).toMatchObject({ outcome: 'canceled', amountMinor: 0 });
  });

  it('tells the customer when the host refuses the transfer itself', async () => {
    const { actor } = await transferSession([inquiry(), { action: 'insufficientFunds', responseCode: '51' }]);
    await toWarning(actor);
    actor.send({ type: 'ui.optionSelected', option: 'fraudWarning.acknowledged' });
    actor.send({ type: 'ui.confirmed' });
    await settle();
    expect(screen(actor)).toEqual({ screen: 'notice', data: { message: 'host.insufficientFunds' } });
  });

  it('fails with a notice when the host cannot be reached', async () => {
    const { actor } = await transferSession([inquiry()]);
    await toWarning(actor);
    actor.send({ type: 'ui.optionSelected', option: 'fraudWarning.acknowledged' });
    actor.send({ type: 'ui.confirmed' });
    await settle();
    actor.send({ type: 'ui.confirmed' });
    await settle();
    expect(lastResult(actor)).toMatchObject({ outcome: 'failed', reason: 'error.hostUnavailable', amountMinor: 0 });
  });
});
