import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ticketText } from '../../simulators/printer-escpos/paper.js';
import type { EscPosPrinterSimulator } from '../../simulators/printer-escpos/escpos-printer-sim.js';
import { customerSteps, useKioskHarness } from './support/customer-steps.js';

/** The test bench's technician (main/runtime/config.ts, docs/maintenance.md). */
const TECHNICIAN = { operatorId: 'tech01', password: '246810' };
const WRONG_PASSWORD = 'not-the-password-7319';

const kiosk = useKioskHarness();
const { screen, option, signIn, withdrawFastCash, finish, ledgerCounts } = customerSteps(kiosk);

type Cassette = { unit: number; count: number; denomination: number };
const physical = async (): Promise<Cassette[]> =>
  ((await (await fetch(`${kiosk().simulators.controlUrl}/sim/cashDispenser`)).json()) as { cassettes: Cassette[] })
    .cassettes;

function journal(): { kind: string; payload: Record<string, unknown> }[] {
  const db = new Database(join(kiosk().config.stateDir, 'journal.sqlite'), { readonly: true });
  try {
    return (
      db.prepare('SELECT kind, payload FROM journal ORDER BY seq').all() as { kind: string; payload: string }[]
    ).map((r) => ({
      kind: r.kind,
      payload: JSON.parse(r.payload) as Record<string, unknown>,
    }));
  } finally {
    db.close();
  }
}

describe('supervisor mode on the whole stack (ptys, host over TCP)', () => {
  it('switch → login (wrong, then right) → replenish → counters slip → exit → back in service, then a withdrawal agrees with the books', async () => {
    // The operator switch on the I/O board takes the idle kiosk into supervisor mode.
    await kiosk().control('ioBoard', 'operatorSwitch', { position: 'supervisor' });
    await screen('maintLogin');
    expect((await kiosk().intent({ type: 'ui.confirmed' })).accepted).toBe(false);

    expect(
      (await kiosk().intent({ type: 'maint.login', operatorId: 'tech01', password: WRONG_PASSWORD })).accepted,
    ).toBe(true);
    await screen('maintLogin', (v) => v.data.message === 'maint.login.wrong');
    expect((await kiosk().intent({ type: 'maint.login', ...TECHNICIAN })).accepted).toBe(true);
    const menu = await screen('maintMenu');
    expect(menu.data.operatorId).toBe('tech01');
    // Nothing on the menu screen takes counts: the renderer cannot skip to them.
    expect((await kiosk().intent({ type: 'maint.countsEntered', counts: [1, 2, 3, 4] })).accepted).toBe(false);

    // The technician refills cassette 1 and tops up cassette 3 by hand.
    await kiosk().control('cashDispenser', 'loadCassette', { unit: 1, denomination: 10_000, count: 200 });
    await kiosk().control('cashDispenser', 'loadCassette', { unit: 3, denomination: 2_000, count: 120 });
    expect((await option('maint.replenish')).accepted).toBe(true);
    const entry = await screen('maintReplenish');
    // The dispenser's four cassettes and its reject bin, then the recycler's two recycle units and its (empty) cashbox.
    expect(entry.data.cashUnits?.map((u) => [u.unitId, u.role, u.count])).toEqual([
      ['unit1', 'cassette', 50],
      ['unit2', 'cassette', 50],
      ['unit3', 'cassette', 50],
      ['unit4', 'cassette', 50],
      ['reject', 'bin', 0],
      ['recycle1', 'cassette', 10],
      ['recycle2', 'cassette', 10],
      ['cashbox', 'cashbox', 0],
    ]);
    // Out of range never passes validation; the wrong number of counts is the machine's to refuse.
    expect(await kiosk().intent({ type: 'maint.countsEntered', counts: [3001, 50, 120, 50] })).toEqual({
      accepted: false,
      reason: 'invalid',
    });
    expect((await kiosk().intent({ type: 'maint.countsEntered', counts: [200, 50] })).accepted).toBe(true);
    await screen('maintReplenish', (v) => v.data.message === 'maint.counts.invalid');
    const entered = [200, 50, 120, 50, 0, 10, 10, 0];
    expect((await kiosk().intent({ type: 'maint.countsEntered', counts: entered })).accepted).toBe(true);
    const confirm = await screen('maintReplenishConfirm');
    expect(confirm.data.enteredCounts).toEqual(entered);
    await kiosk().intent({ type: 'ui.confirmed' });
    const done = await screen('maintNotice', (v) => v.data.message === 'maint.replenish.done');
    const counted = Object.fromEntries((done.data.cashUnits ?? []).map((u) => [u.unitId, u.count]));
    expect(counted).toMatchObject({ unit1: 200, unit2: 50, unit3: 120, unit4: 50, reject: 0 });
    // The storage view, the durable ledger and the notes in the simulator agree.
    const cassettes = await physical();
    expect(cassettes.map((c) => c.count)).toEqual([200, 50, 120, 50]);
    expect(ledgerCounts()).toMatchObject(counted);

    // The counters slip on the receipt printer.
    const printer = kiosk().simulators.simulators.get('receiptPrinter') as EscPosPrinterSimulator;
    await kiosk().control('receiptPrinter', 'clearOutput');
    await kiosk().intent({ type: 'ui.confirmed' });
    await screen('maintMenu');
    await option('maint.printCounters');
    await screen('maintNotice', (v) => v.data.message === 'maint.printed');
    const slip = printer.tickets().flatMap(ticketText).join('\n');
    expect(slip).toContain('设备清机单');
    expect(slip).toMatch(/操作员\s+tech01/);
    expect(slip).toMatch(/钞箱 unit1\s+CNY 100\.00/);
    expect(slip).toMatch(/剩余张数\s+200/);
    expect(slip).toMatch(/上次加钞后付出金额\s+CNY 0\.00/);
    expect(slip).toMatch(/吞卡张数\s+0/);

    // The card bin: nothing retained yet; the count is reset all the same and journaled.
    await kiosk().intent({ type: 'ui.confirmed' });
    await screen('maintMenu');
    await option('maint.cardBin');
    expect((await screen('maintCardBin')).data.cardBin).toEqual({ count: 0, threshold: 40, capacity: 50 });
    await option('maint.cardBin.reset');
    await screen('maintCardBin', (v) => v.data.message === 'maint.cardBin.emptied');

    // Log out, switch back to run: through `deciding` into service.
    await kiosk().intent({ type: 'ui.confirmed' });
    await screen('maintMenu');
    await option('maint.exit');
    await screen('maintLogin', (v) => v.data.message === 'maint.loggedOut');
    await kiosk().control('ioBoard', 'operatorSwitch', { position: 'run' });
    await screen('welcome');
    expect(await kiosk().runtime.whenInService(5_000)).toBe(true);

    // A customer withdraws 500 yuan from the refilled cassettes.
    await signIn();
    await withdrawFastCash(50_000);
    await finish();

    const after = await physical();
    const paid =
      cassettes.reduce((sum, c) => sum + c.count * c.denomination, 0) -
      after.reduce((sum, c) => sum + c.count * c.denomination, 0);
    expect(paid).toBe(50_000);
    const books = ledgerCounts();
    after.forEach((c) => expect(books[`unit${c.unit}`], `unit${c.unit}`).toBe(c.count));

    // The journal names the technician at every step, and the counts came before the change.
    const records = journal().filter((r) => r.kind === 'maintenance');
    const events = records.map((r) => r.payload.event);
    expect(events).toEqual(
      expect.arrayContaining([
        'operator.loginFailed',
        'operator.login',
        'cash.exchange.counts',
        'cash.exchange.end',
        'counters.print',
        'cardBin.emptied',
        'operator.logout',
      ]),
    );
    expect(events.indexOf('operator.loginFailed')).toBeLessThan(events.indexOf('operator.login'));
    expect(events.indexOf('cash.exchange.counts')).toBeLessThan(events.indexOf('cash.exchange.end'));
    for (const r of records.filter((r) => String(r.payload.event).startsWith('operator.')))
      expect(r.payload.operatorId).toBe('tech01');
    expect(records.find((r) => r.payload.event === 'cash.exchange.counts')?.payload).toMatchObject({
      operatorId: 'tech01',
      before: { unit1: 50, unit3: 50 },
      after: { unit1: 200, unit2: 50, unit3: 120, unit4: 50, reject: 0 },
    });
    // Neither password reached the journal or any view.
    const everything = JSON.stringify(journal()) + JSON.stringify(kiosk().views);
    expect(everything).not.toContain(WRONG_PASSWORD);
    expect(everything).not.toContain(TECHNICIAN.password);
  }, 60_000);
});
