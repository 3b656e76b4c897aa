import { describe, expect, it } from 'vitest';
import type { MiniStatementContext } from '../../../state-machines/transactions/mini-statement.machine.js';
import { miniStatementScreen } from '../../../main/runtime/view-projection.js';
import { approve, lastResult, sessionWith, settle, transaction, type HostAnswer } from './session-fixtures.js';

const lines = [
  { date: '2025-03-02', description: 'statement.withdrawal', amountMinor: -50_000, balanceMinor: 450_000 },
  { date: '2025-03-01', description: 'statement.deposit', amountMinor: 500_000 },
];

const statementSession = (host: HostAnswer[], receipts = true) =>
  sessionWith(
    'menu.miniStatement',
    { host },
    { services: { withdrawal: true, deposit: false, transfer: false, balance: true, receipts } },
  );

describe('mini-statement in a session', () => {
  it('shows the lines and prints them on request', async () => {
    const { actor, world } = await statementSession([approve({ lines })]);
    expect(miniStatementScreen(transaction<MiniStatementContext>(actor), 'CNY')).toEqual({
      screen: 'miniStatement',
      options: ['receipt.print'],
      data: { currency: 'CNY', statement: lines },
    });
    actor.send({ type: 'ui.optionSelected', option: 'receipt.print' });
    await settle();
    expect(world.steps.slice(-2)).toEqual(['fetchStatement', 'printStatement']);
    expect(lastResult(actor)).toMatchObject({ kind: 'miniStatement', outcome: 'completed' });
  });

  it('is not on the menu without a receipt printer', async () => {
    const { world } = await statementSession([approve({ lines })], false);
    expect(world.steps).not.toContain('fetchStatement');
  });

  it('explains a refusal and ends declined after the notice', async () => {
    const { actor, clock } = await statementSession([{ action: 'decline', responseCode: '05', lines: [] }]);
    expect(miniStatementScreen(transaction<MiniStatementContext>(actor), 'CNY')).toEqual({
      screen: 'notice',
      data: { message: 'host.decline' },
    });
    clock.increment(5_000);
    await settle();
    expect(lastResult(actor)).toMatchObject({ outcome: 'declined', reason: 'host.decline' });
  });

  it('fails with a notice when the host cannot be reached', async () => {
    const { actor } = await statementSession([]);
    actor.send({ type: 'ui.confirmed' });
    await settle();
    expect(lastResult(actor)).toMatchObject({ outcome: 'failed', reason: 'error.hostUnavailable' });
  });
});
