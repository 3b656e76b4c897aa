import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEMO_CARD } from './support/kiosk-harness.js';
import { customerSteps, useKioskHarness } from './support/customer-steps.js';

/*
 * Counts survive a restart: the runtime is stopped and started again on the
 * same state folder while the simulated devices keep their notes and cards.
 * Afterwards the durable ledger and what the drivers report equal what is
 * physically in each cassette, the reject bin and the card bin.
 */

const kiosk = useKioskHarness();
const { screen, option, signIn, withdrawFastCash, finish, ledgerCounts } = customerSteps(kiosk);

const simState = async (device: string): Promise<Record<string, unknown>> =>
  (await (await fetch(`${kiosk().simulators.controlUrl}/sim/${device}`)).json()) as Record<string, unknown>;

/** The notes physically in each unit, by the runtime's unit ids (default configuration): dispenser and recycler. */
async function physical(): Promise<Record<string, number>> {
  const state = (await simState('cashDispenser')) as { cassettes: { count: number }[]; rejectBin: { count: number } };
  const recycler = (await simState('cashAcceptor')) as { recyclers: { count: number }[]; cashbox: { count: number } };
  return {
    ...Object.fromEntries(state.cassettes.map((c, i) => [`unit${i + 1}`, c.count])),
    reject: state.rejectBin.count,
    ...Object.fromEntries(recycler.recyclers.map((r, i) => [`recycle${i + 1}`, r.count])),
    cashbox: recycler.cashbox.count,
  };
}

/** The counts the technician enters: every unit, the reject bin included, in the screen's order. */
const COUNTED = ['unit1', 'unit2', 'unit3', 'unit4', 'reject', 'recycle1', 'recycle2', 'cashbox'];

/** A replenishment on the technician's screens with these counts. */
async function replenish(counts: number[]): Promise<void> {
  await inMaintenance(async () => {
    await option('maint.replenish');
    const entry = await screen('maintReplenish');
    expect(entry.data.cashUnits?.map((u) => u.unitId)).toEqual(COUNTED);
    await kiosk().intent({ type: 'maint.countsEntered', counts });
    await screen('maintReplenishConfirm');
    await kiosk().intent({ type: 'ui.confirmed' });
    await screen('maintNotice', (v) => v.data.message === 'maint.replenish.done');
    await kiosk().intent({ type: 'ui.confirmed' });
  });
}

/** The journal's last `cash.exchange.counts` record. */
function lastExchangeCounts(): Record<string, unknown> | undefined {
  const db = new Database(join(kiosk().config.stateDir, 'journal.sqlite'), { readonly: true });
  try {
    const rows = db.prepare("SELECT payload FROM journal WHERE kind = 'maintenance' ORDER BY seq").all() as {
      payload: string;
    }[];
    return rows
      .map((r) => JSON.parse(r.payload) as Record<string, unknown>)
      .filter((p) => p.event === 'cash.exchange.counts')
      .at(-1);
  } finally {
    db.close();
  }
}

async function restart(): Promise<void> {
  await kiosk().restart();
  expect(await kiosk().runtime.whenInService(10_000)).toBe(true);
}

/** The technician's session: switch, login, `work` on the menu, logout, switch back to run. */
async function inMaintenance<T>(work: () => Promise<T>): Promise<T> {
  await kiosk().control('ioBoard', 'operatorSwitch', { position: 'supervisor' });
  await screen('maintLogin');
  await kiosk().intent({ type: 'maint.login', operatorId: 'tech01', password: '246810' });
  await screen('maintMenu');
  const result = await work();
  await screen('maintMenu');
  await option('maint.exit');
  await screen('maintLogin');
  await kiosk().control('ioBoard', 'operatorSwitch', { position: 'run' });
  expect(await kiosk().runtime.whenInService(5_000)).toBe(true);
  return result;
}

/** What the dispenser driver reports per unit, on the technician's cash-units screen. */
async function reported(): Promise<Record<string, number>> {
  return inMaintenance(async () => {
    await option('maint.cashUnits');
    const units = (await screen('maintCashUnits')).data.cashUnits ?? [];
    await kiosk().intent({ type: 'ui.confirmed' });
    return Object.fromEntries(units.map((u) => [u.unitId, u.count]));
  });
}

async function cardBinCount(): Promise<number> {
  return inMaintenance(async () => {
    await option('maint.cardBin');
    const count = (await screen('maintCardBin')).data.cardBin?.count ?? Number.NaN;
    await kiosk().intent({ type: 'ui.confirmed' });
    return count;
  });
}

describe('cash and card counts across a runtime restart (ptys, host over TCP)', () => {
  it('a withdrawal with a rejected note, then a restart: ledger and dispenser count what the units hold; the emptied reject bin stays 0', async () => {
    // A double note is diverted to the reject bin, so the bin moves too.
    await kiosk().control('cashDispenser', 'fault', { kind: 'doubleNote' });
    await signIn();
    await withdrawFastCash(50_000);
    await finish();

    const afterWithdrawal = await physical();
    expect(afterWithdrawal.reject, 'the double note is in the reject bin').toBe(1);
    expect(ledgerCounts()).toMatchObject(afterWithdrawal);

    await restart();
    expect(ledgerCounts(), 'ledger after the restart').toMatchObject(afterWithdrawal);
    expect(await reported(), 'dispenser after the restart').toEqual(afterWithdrawal);
    expect(await physical()).toEqual(afterWithdrawal);

    // The custodian empties the reject bin and counts it 0; the journal keeps the note taken out.
    await kiosk().control('cashDispenser', 'clear', { kind: 'rejectBinFull' });
    const emptied = await physical();
    expect(emptied).toEqual({ ...afterWithdrawal, reject: 0 });
    await replenish(COUNTED.map((id) => emptied[id] ?? 0));
    expect(ledgerCounts()).toMatchObject(emptied);
    expect(lastExchangeCounts()).toMatchObject({ before: { reject: 1 }, after: { reject: 0 }, removed: { reject: 1 } });
    await restart();
    expect(ledgerCounts(), 'ledger after the second restart').toMatchObject(emptied);
    expect(await reported(), 'the emptied reject bin after a restart').toEqual(emptied);
  }, 90_000);

  it('a replenishment, then a restart: the counted notes stay the counts', async () => {
    await kiosk().control('cashDispenser', 'loadCassette', { unit: 2, denomination: 5_000, count: 80 });
    const loaded = await physical();
    await replenish(COUNTED.map((id) => loaded[id] ?? 0));
    expect(ledgerCounts()).toMatchObject(loaded);

    await restart();
    expect(ledgerCounts(), 'ledger after the restart').toMatchObject(loaded);
    expect(await reported(), 'dispenser after the restart').toEqual(loaded);
  }, 60_000);

  it('a deposit into the cashbox survives a restart; the emptied cashbox is counted 0 and stays 0', async () => {
    // Twenty-yuan notes have no recycle unit: the recycler stores them in its cashbox.
    await signIn();
    await option('menu.deposit');
    await screen('depositInsert');
    await kiosk().control('cashAcceptor', 'insertNotes', {
      notes: [
        { denomination: 2_000, serial: 'CB00000001', quality: 'fit' },
        { denomination: 2_000, serial: 'CB00000002', quality: 'fit' },
      ],
    });
    await kiosk().waitForView((v) => v.screen === 'depositConfirm', 20_000);
    await kiosk().intent({ type: 'ui.confirmed' });
    await kiosk().waitForView((v) => v.screen === 'receiptQuestion' || v.screen === 'anotherTransaction', 15_000);
    if (kiosk().views.at(-1)?.screen === 'receiptQuestion') await option('receipt.no');
    await finish();
    const deposited = await physical();
    expect(deposited.cashbox).toBe(2);
    expect(ledgerCounts()).toMatchObject(deposited);

    await restart();
    expect(ledgerCounts(), 'ledger after the restart').toMatchObject(deposited);
    expect(await reported(), 'the recycler restored its cashbox from the ledger').toEqual(deposited);

    // The custodian empties the cashbox and counts it 0; the journal keeps what was taken out.
    const { notes } = (await kiosk().control('cashAcceptor', 'emptyCashbox', {})) as { notes: unknown[] };
    expect(notes).toHaveLength(2);
    const emptied = await physical();
    await replenish(COUNTED.map((id) => emptied[id] ?? 0));
    expect(ledgerCounts()).toMatchObject({ ...emptied, cashbox: 0 });
    expect(lastExchangeCounts()).toMatchObject({ before: { cashbox: 2 }, after: { cashbox: 0 }, removed: { cashbox: 2 } });
    await restart();
    expect(await reported(), 'the emptied cashbox after a restart').toEqual(emptied);
  }, 90_000);

  it('a card captured at start-up recovery stays counted across restarts, and so does the emptied bin', async () => {
    const retained = async () => (await simState('cardReader')).retainCount as number;
    const before = await retained();
    // The power goes while a card is inside: recovery captures it.
    await kiosk().control('cardReader', 'insertCard', { track2: DEMO_CARD.track2 });
    await screen('language');
    await restart();
    expect(await retained()).toBe(before + 1);
    expect(await cardBinCount()).toBe(before + 1);

    await restart();
    expect(await cardBinCount(), 'retain count after a second restart').toBe(before + 1);

    // The technician empties the bin and resets the count.
    await kiosk().control('cardReader', 'retainBin', { count: 0 });
    await inMaintenance(async () => {
      await option('maint.cardBin');
      await screen('maintCardBin');
      await option('maint.cardBin.reset');
      await screen('maintCardBin', (v) => v.data.message === 'maint.cardBin.emptied');
      await kiosk().intent({ type: 'ui.confirmed' });
    });
    await restart();
    expect(await cardBinCount(), 'the reset survives the restart').toBe(await retained());
  }, 60_000);
});
