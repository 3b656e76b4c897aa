import { describe, expect, it } from 'vitest';
import { useKioskHarness } from './support/customer-steps.js';

/*
 * The cardless appointment withdrawal, end to end: booked at the host simulator
 * (as the bank's app would), the QR code shown to the HID scanner simulator (its
 * reports reach the runtime over the loopback bridge), the PIN on the PIN pad,
 * cash from the dispenser — and no card anywhere.
 */

const ACCOUNT = '6222020000000001';
const APPOINTMENT = { code: 'APPT-7Q3K-92XD', account: ACCOUNT, amountMinor: 30_000, pin: '246810' };

const kiosk = useKioskHarness();

type HostState = {
  accounts: { number: string; balanceMinor: number }[];
  appointments: { code: string; usedAt: number | null }[];
};
const host = async (): Promise<HostState> =>
  (await (await fetch(`${kiosk().simulators.controlUrl}/sim/host`)).json()) as HostState;
const balance = async (): Promise<number> =>
  (await host()).accounts.find((a) => a.number === ACCOUNT)?.balanceMinor ?? Number.NaN;
type Reader = { retainCount: number; position: string };

/** Holds the code up once the runtime has switched the scanner on (it does so while waiting for a customer). */
async function scan(code: string): Promise<void> {
  await kiosk().waitForView((v) => v.screen === 'welcome');
  await kiosk().waitForDevice('scanner', (s) => s.scanning === true);
  const answer = (await kiosk().control('scanner', 'scan', { data: code, symbology: 'qr' })) as { delivered: boolean };
  expect(answer.delivered).toBe(true);
}

describe('cardless appointment withdrawal (HID scanner over its bridge, host over TCP)', () => {
  it('pays the booked amount after the PIN, debits the account once and marks the appointment used', async () => {
    await kiosk().control('host', 'addAppointment', APPOINTMENT);
    const before = await balance();
    const reader = (await (await fetch(`${kiosk().simulators.controlUrl}/sim/cardReader`)).json()) as Reader;

    await scan(APPOINTMENT.code);
    await kiosk().waitForView((v) => v.screen === 'language');
    await kiosk().intent({ type: 'ui.languageSelected', language: 'zh-CN' });
    await kiosk().waitForView((v) => v.screen === 'pin');
    // The scanner is off during the session: a code shown now is not read.
    await kiosk().waitForDevice('scanner', (s) => s.scanning === false);
    await kiosk().waitForDevice('pinPad', (pad) => pad.mode === 'pin');
    await kiosk().control('pinPad', 'typePin', { digits: APPOINTMENT.pin, enter: true });

    // No menu and no amount choice: the booked amount is the only one offered.
    await kiosk().waitForView((v) => v.screen === 'confirm' && v.data.amountMinor === APPOINTMENT.amountMinor);
    await kiosk().intent({ type: 'ui.confirmed' });
    await kiosk().waitForView((v) => v.screen === 'takeCash');
    await kiosk().waitForDevice('cashDispenser', (d) => (d.exit as unknown[]).length > 0);
    await kiosk().control('cashDispenser', 'takeNotes');
    await kiosk().waitForView((v) => v.screen === 'welcome');

    expect(before - (await balance())).toBe(APPOINTMENT.amountMinor);
    const booked = (await host()).appointments.find((a) => a.code === APPOINTMENT.code);
    expect(booked?.usedAt).not.toBeNull();
    // No card was taken in or kept.
    const after = (await (await fetch(`${kiosk().simulators.controlUrl}/sim/cardReader`)).json()) as Reader;
    expect(after.retainCount).toBe(reader.retainCount);
    expect(kiosk().views.some((v) => v.screen === 'takeCard')).toBe(false);
  }, 30_000);

  it('refuses the same code a second time with a notice, and moves no money', async () => {
    const before = await balance();
    const seen = kiosk().views.length;
    await scan(APPOINTMENT.code);
    const notice = await kiosk().waitForView((v) => v.screen === 'notice');
    expect(notice.data.message).toBe('error.appointmentInvalid');
    expect((await kiosk().intent({ type: 'ui.confirmed' })).accepted).toBe(true);
    await kiosk().waitForView((v) => v.screen === 'welcome');
    expect(
      kiosk()
        .views.slice(seen)
        .some((v) => v.screen === 'pin' || v.screen === 'confirm'),
    ).toBe(false);
    expect(await balance()).toBe(before);
  }, 20_000);

  it('does not start a session for a scanned text that is not an appointment code', async () => {
    const seen = kiosk().views.length;
    await scan('x');
    // The scanner stays on and the kiosk keeps waiting.
    await kiosk().waitForDevice('scanner', (s) => s.codesSent === 3 && s.scanning === true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(
      kiosk()
        .views.slice(seen)
        .every((v) => v.screen === 'welcome'),
    ).toBe(true);
  }, 10_000);
});
