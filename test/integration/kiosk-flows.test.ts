import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../drivers/common/clock.js';
import { CashLedger } from '../../main/cash/cash-ledger.js';
import { DEMO_CARD } from './support/kiosk-harness.js';
import { customerSteps, useKioskHarness } from './support/customer-steps.js';

const kiosk = useKioskHarness();
const { signIn, finish } = customerSteps(kiosk);

/** The host simulator's available balance for the demo card, via a balance inquiry in a session of its own. */
async function availableBalance(): Promise<number> {
  await signIn();
  await kiosk().intent({ type: 'ui.optionSelected', option: 'menu.balance' });
  const view = await kiosk().waitForView((v) => v.screen === 'balance');
  await kiosk().intent({ type: 'ui.confirmed' });
  await finish();
  return view.data.availableBalanceMinor ?? Number.NaN;
}

const hostBalance = async (): Promise<number> => {
  const host = (await (await fetch(`${kiosk().simulators.controlUrl}/sim/host`)).json()) as {
    accounts: { number: string; balanceMinor: number }[];
  };
  return host.accounts.find((a) => a.number === '6222020000000001')?.balanceMinor ?? Number.NaN;
};

type Cassette = { count: number; denomination: number };
const cassettes = async (): Promise<Cassette[]> =>
  ((await (await fetch(`${kiosk().simulators.controlUrl}/sim/cashDispenser`)).json()) as { cassettes: Cassette[] })
    .cassettes;
const cashIn = (list: Cassette[]): number => list.reduce((sum, c) => sum + c.count * c.denomination, 0);

describe('customer flows end to end (ptys, host over TCP)', () => {
  it('shows the balance from the host, card read on the pty and PIN from the PIN pad', async () => {
    await signIn();
    expect((await kiosk().intent({ type: 'ui.optionSelected', option: 'menu.balance' })).accepted).toBe(true);
    const balance = await kiosk().waitForView((v) => v.screen === 'balance');
    expect(balance.data.availableBalanceMinor).toBeGreaterThan(0);
    await kiosk().intent({ type: 'ui.confirmed' });
    await finish();
  });

  it('pays a fast-cash withdrawal with a host-signed token, and the books agree', async () => {
    const before = await availableBalance();
    const cashBefore = cashIn(await cassettes());
    await signIn();
    await kiosk().intent({ type: 'ui.optionSelected', option: 'menu.withdrawal' });
    await kiosk().waitForView((v) => v.screen === 'amount');
    expect((await kiosk().intent({ type: 'ui.optionSelected', option: 'amount.50000' })).accepted).toBe(true);
    await kiosk().waitForView((v) => v.screen === 'receiptQuestion');
    await kiosk().intent({ type: 'ui.optionSelected', option: 'receipt.no' });
    await kiosk().waitForView((v) => v.screen === 'confirm' && v.data.amountMinor === 50_000);
    await kiosk().intent({ type: 'ui.confirmed' });
    await kiosk().waitForView((v) => v.screen === 'takeCash');
    await kiosk().waitForDevice('cashDispenser', (d) => (d.exit as unknown[]).length > 0);
    const serials = (
      (await (await fetch(`${kiosk().simulators.controlUrl}/sim/cashDispenser`)).json()) as { exit: string[] }
    ).exit;
    await kiosk().control('cashDispenser', 'takeNotes');
    await finish();
    expect(cashBefore - cashIn(await cassettes())).toBe(50_000);
    expect(before - (await availableBalance())).toBe(50_000);
    // Every note handed out is on record by serial (冠字号), with its cassette.
    const ledger = new CashLedger(join(kiosk().config.stateDir, 'cash.sqlite'), systemClock);
    try {
      for (const serial of serials) {
        expect(ledger.findNote(serial)).toEqual([expect.objectContaining({ movement: 'dispensed', currency: 'CNY' })]);
      }
      // The durable counters agree with the notes physically left in each cassette.
      const physical = await cassettes();
      physical.forEach((cassette, i) => expect(ledger.unit(`unit${i + 1}`).count).toBe(cassette.count));
      expect(ledger.activeTransaction()).toBeUndefined();
    } finally {
      ledger.close();
    }
  });

  it('transfers to another customer after the anti-fraud warning: pending for 24 hours, then revoked', async () => {
    const before = await availableBalance();
    await signIn();
    await kiosk().intent({ type: 'ui.optionSelected', option: 'menu.transfer' });
    await kiosk().waitForView((v) => v.screen === 'transferPayee');
    await kiosk().intent({ type: 'ui.textEntered', field: 'payeeAccount', text: '6222020000000003' });
    await kiosk().waitForView((v) => v.screen === 'transferAmount');
    await kiosk().intent({ type: 'ui.amountEntered', amountMinor: 20_000 });
    await kiosk().waitForView((v) => v.screen === 'transferWarning');
    // The warning cannot be skipped with a plain confirm.
    await kiosk().intent({ type: 'ui.confirmed' });
    expect(kiosk().views.at(-1)?.screen).toBe('transferWarning');
    await kiosk().intent({ type: 'ui.optionSelected', option: 'fraudWarning.acknowledged' });
    const confirm = await kiosk().waitForView((v) => v.screen === 'transferConfirm');
    // The payee's name is shown masked (李四 → *四), never in full.
    expect(confirm.data.payeeNameMasked).toMatch(/^\*+四$/);
    expect(JSON.stringify(confirm.data)).not.toContain('李');
    await kiosk().intent({ type: 'ui.confirmed' });
    const result = await kiosk().waitForView((v) => v.screen === 'notice' && v.options.includes('transfer.revoke'));
    expect(result.data.message).toBe('transfer.pending');
    expect(before - (await hostBalance())).toBe(20_000);
    await kiosk().intent({ type: 'ui.optionSelected', option: 'transfer.revoke' });
    await kiosk().waitForView((v) => v.screen === 'receiptQuestion' || v.screen === 'anotherTransaction');
    if (kiosk().views.at(-1)?.screen === 'receiptQuestion')
      await kiosk().intent({ type: 'ui.optionSelected', option: 'receipt.no' });
    await finish();
    expect(await hostBalance()).toBe(before);
  });

  it('changes the PIN on the PIN pad; the new PIN works and the old one no longer does', async () => {
    await signIn();
    await kiosk().intent({ type: 'ui.optionSelected', option: 'menu.pinChange' });
    for (let entry = 0; entry < 2; entry += 1) {
      await kiosk().waitForView((v) => v.screen === 'pinChange');
      await kiosk().waitForDevice('pinPad', (pad) => pad.mode === 'pin');
      await kiosk().control('pinPad', 'typePin', { digits: '654321', enter: true });
      await kiosk().waitForDevice('pinPad', (pad) => pad.mode !== 'pin' || entry === 1);
    }
    await kiosk().waitForView((v) => v.screen === 'notice' && v.data.message === 'pinChange.changed');
    await kiosk().intent({ type: 'ui.confirmed' });
    await finish();
    // The old PIN is refused by the host; the new one is asked for and works (it authorises the change back).
    await signIn(DEMO_CARD.pin);
    await kiosk().intent({ type: 'ui.optionSelected', option: 'menu.balance' });
    await kiosk().waitForView((v) => v.screen === 'notice' && v.data.message === 'pin.wrong');
    await kiosk().waitForView((v) => v.screen === 'pin');
    await kiosk().waitForDevice('pinPad', (pad) => pad.mode === 'pin');
    await kiosk().control('pinPad', 'typePin', { digits: '654321', enter: true });
    await kiosk().waitForView((v) => v.screen === 'menu');
    await kiosk().intent({ type: 'ui.optionSelected', option: 'menu.pinChange' });
    for (let entry = 0; entry < 2; entry += 1) {
      await kiosk().waitForView((v) => v.screen === 'pinChange');
      await kiosk().waitForDevice('pinPad', (pad) => pad.mode === 'pin');
      await kiosk().control('pinPad', 'typePin', { digits: DEMO_CARD.pin, enter: true });
      await kiosk().waitForDevice('pinPad', (pad) => pad.mode !== 'pin' || entry === 1);
    }
    await kiosk().waitForView((v) => v.screen === 'notice' && v.data.message === 'pinChange.changed');
    await kiosk().intent({ type: 'ui.confirmed' });
    await finish();
  });

  it('shows a mini-statement with the withdrawal and the transfer', async () => {
    await signIn();
    await kiosk().intent({ type: 'ui.optionSelected', option: 'menu.miniStatement' });
    const statement = await kiosk().waitForView((v) => v.screen === 'miniStatement');
    expect(JSON.stringify(statement.data)).toContain('-50000');
    await kiosk().intent({ type: 'ui.confirmed' });
    await finish();
  });

  it('takes a deposit into escrow, keeps the counterfeit note, and credits only the genuine ones', async () => {
    const before = await hostBalance();
    await signIn();
    await kiosk().intent({ type: 'ui.optionSelected', option: 'menu.deposit' });
    await kiosk().waitForView((v) => v.screen === 'depositInsert');
    await kiosk().control('cashAcceptor', 'insertNotes', {
      notes: [
        { denomination: 10_000, serial: 'FG12345678', quality: 'fit' },
        { denomination: 10_000, serial: 'FG12345679', quality: 'fit' },
        { denomination: 10_000, serial: 'XX00000001', quality: 'counterfeit' },
      ],
    });
    const counted = await kiosk().waitForView((v) => v.screen === 'depositConfirm', 20_000);
    expect(counted.data.amountMinor).toBe(20_000);
    await kiosk().intent({ type: 'ui.confirmed' });
    await kiosk().waitForView((v) => v.screen === 'receiptQuestion' || v.screen === 'anotherTransaction', 15_000);
    if (kiosk().views.at(-1)?.screen === 'receiptQuestion')
      await kiosk().intent({ type: 'ui.optionSelected', option: 'receipt.no' });
    await finish();
    expect((await hostBalance()) - before).toBe(20_000);
    // The counterfeit note never went back to the customer's hand.
    const acceptor = (await (await fetch(`${kiosk().simulators.controlUrl}/sim/cashAcceptor`)).json()) as {
      hand: unknown;
    };
    expect(JSON.stringify(acceptor.hand)).not.toContain('XX00000001');
    const ledger = new CashLedger(join(kiosk().config.stateDir, 'cash.sqlite'), systemClock);
    try {
      expect(ledger.findNote('FG12345678')).toEqual([
        expect.objectContaining({ movement: 'deposited', value: 10_000 }),
      ]);
      expect(ledger.findNote('XX00000001')).toEqual([expect.objectContaining({ movement: 'retained' })]);
    } finally {
      ledger.close();
    }
  });

  it('keeps the working keys in the PIN pad and no card number in the link file', async () => {
    const pad = (await (await fetch(`${kiosk().simulators.controlUrl}/sim/pinPad`)).json()) as {
      keys: { slot: number; type: number }[];
    };
    // TMK, and what the runtime loaded: PIK (TPK 3), MAK (TAK 5, which computed every MAC), DSK (TDK 6).
    expect(pad.keys).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ slot: 0x40, type: 3 }),
        expect.objectContaining({ slot: 0x41, type: 5 }),
        expect.objectContaining({ slot: 0x43, type: 6 }),
      ]),
    );
    const link = join(kiosk().config.stateDir, 'host-link.sqlite');
    const bytes = [link, `${link}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f).toString('latin1'));
    expect(bytes.join('')).not.toContain(DEMO_CARD.pan);
  });
});
