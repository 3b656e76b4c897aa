import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../drivers/common/clock.js';
import type { DeviceResult } from '../../../../drivers/common/completion.js';
import type { CashDispenserEvents, DenominateRequest } from '../../../../drivers/cash-dispenser/contract.js';
import { MemoryCashDispenser } from '../../../../drivers/cash-dispenser/memory.js';
import type { MemoryCashDispenserOptions } from '../../../../drivers/cash-dispenser/memory.js';
import type { StorageEvents } from '../../../../drivers/storage/contract.js';
import type { MemoryStorage } from '../../../../drivers/storage/memory.js';
import { bin, cassette, dispenserStorage, hmacSha256, hostToken, recorder, signal } from './fixtures.js';

const hostKey = new TextEncoder().encode('XFSAuthenticateHost-test');
const deviceKey = new TextEncoder().encode('XFSAuthenticateDevice-test');
const cny = (amount: number): DenominateRequest => ({ amount: { currency: 'CNY', amount }, mixNumber: 1 });

async function setup(
  options: Partial<MemoryCashDispenserOptions> = {},
  storageUnits?: Parameters<typeof dispenserStorage>[1],
) {
  const clock = new ManualClock();
  const storage = await dispenserStorage(clock, storageUnits);
  const dispenser = new MemoryCashDispenser({ clock, storage, ...options });
  await dispenser.open(signal);
  return { clock, storage, dispenser };
}

function payload<T>(result: DeviceResult<T, string, unknown>): T {
  if (result.completionCode !== 'success') {
    throw new Error(`${result.completionCode} ${result.errorCode ?? ''}: ${result.errorDescription}`);
  }
  return result.payload;
}

function counts(storage: MemoryStorage, id: string) {
  return storage.cashUnit(id)?.counts;
}

describe('MemoryCashDispenser cash-out lifecycle', () => {
  it('dispenses to the stacker, presents, and hands the serial-numbered notes over on take', async () => {
    const { storage, dispenser } = await setup();
    const events = recorder<CashDispenserEvents>(dispenser, [
      'startDispense',
      'itemsPresented',
      'itemsTaken',
      'shutterStatusChanged',
    ]);

    expect(payload(await dispenser.denominate(cny(35000), signal))).toEqual({
      amount: { currency: 'CNY', amount: 35000 },
      counts: { unit1: 3, unit2: 1 },
    });
    const dispensed = payload(await dispenser.dispense({ denomination: cny(35000) }, signal));
    expect(dispensed.notes.map((n) => n.serialNumber)).toEqual([
      'UNIT100000050',
      'UNIT100000049',
      'UNIT100000048',
      'UNIT200000050',
    ]);
    expect(dispenser.getStatus().intermediateStacker).toBe('notEmpty');
    expect(counts(storage, 'unit1')?.out.stacked).toBe(3);
    expect(storage.cashUnit('unit1')?.count).toBe(47);

    expect(payload(await dispenser.present({}, signal))).toEqual({
      position: 'outDefault',
      numberOfItems: 4,
      additionalBunches: 0,
    });
    expect(dispenser.getStatus().positions[0]).toMatchObject({ shutter: 'open', positionStatus: 'notEmpty' });
    expect(counts(storage, 'unit1')?.out).toMatchObject({ stacked: 0, presented: 3 });

    const hand = dispenser.takeItems();
    expect(hand.map((n) => n.serialNumber)).toEqual(dispensed.notes.map((n) => n.serialNumber));
    expect(dispenser.getStatus().positions[0]).toMatchObject({ shutter: 'closed', positionStatus: 'empty' });
    expect(events.map((e) => e.type)).toEqual([
      'startDispense',
      'shutterStatusChanged',
      'itemsPresented',
      'itemsTaken',
      'shutterStatusChanged',
    ]);
    expect(payload(await dispenser.getLastTransaction(undefined, signal))).toMatchObject({
      outcome: 'taken',
      picked: { unit1: 3, unit2: 1 },
      presented: { currency: 'CNY', amount: 35000 },
      interrupted: false,
    });
  });

  it('refuses a new dispense while notes are left in the stacker or the slot', async () => {
    const { dispenser } = await setup();
    payload(await dispenser.dispense({ denomination: cny(10000) }, signal));
    expect(await dispenser.dispense({ denomination: cny(10000) }, signal)).toMatchObject({
      completionCode: 'commandErrorCode',
      errorCode: 'itemsLeft',
    });
    payload(await dispenser.present({}, signal));
    expect(await dispenser.dispense({ denomination: cny(10000) }, signal)).toMatchObject({ errorCode: 'itemsLeft' });
    dispenser.takeItems();
    expect((await dispenser.dispense({ denomination: cny(10000) }, signal)).completionCode).toBe('success');
  });

  it('retracts untaken notes into the retract unit and reports them as presented and retracted', async () => {
    const { storage, dispenser } = await setup();
    payload(await dispenser.dispense({ denomination: cny(20000) }, signal));
    payload(await dispenser.present({}, signal));
    const moved = payload(await dispenser.retract({ retractArea: 'retract' }, signal));
    expect(moved).toMatchObject({ count: 2, unitId: 'retract' });
    expect(counts(storage, 'retract')?.in).toMatchObject({ retracted: 2, retractOperations: 1 });
    expect(storage.notesIn('retract').map((n) => n.serialNumber)).toEqual(moved.notes.map((n) => n.serialNumber));
    expect(dispenser.getStatus().positions[0]?.shutter).toBe('closed');
    expect(payload(await dispenser.getPresentStatus({}, signal))).toMatchObject({
      presentState: 'presented',
      retracted: true,
    });
    expect(await dispenser.retract({ retractArea: 'retract' }, signal)).toMatchObject({ errorCode: 'noItems' });
  });

  it('fails the retract with itemsTaken when the customer grabs the notes meanwhile', async () => {
    const { dispenser } = await setup();
    const taken = recorder<CashDispenserEvents>(dispenser, ['itemsTaken']);
    payload(await dispenser.dispense({ denomination: cny(10000) }, signal));
    payload(await dispenser.present({}, signal));
    dispenser.injectFault('itemsTakenDuringRetract');
    expect(await dispenser.retract({ retractArea: 'retract' }, signal)).toMatchObject({ errorCode: 'itemsTaken' });
    expect(taken).toHaveLength(1);
    expect(payload(await dispenser.getLastTransaction(undefined, signal))?.outcome).toBe('taken');
  });

  it('refuses a retract to an area the device lacks, or into a unit at maxRetracts', async () => {
    const { dispenser } = await setup({ retractAreas: ['retract'] }, [
      cassette('unit1', 10000, 10),
      bin('reject', ['reject']),
      { id: 'retract', position: 'retract', configuration: { types: ['retract'], maxRetracts: 1 } },
    ]);
    const cycle = async () => {
      payload(await dispenser.dispense({ denomination: cny(10000) }, signal));
      payload(await dispenser.present({}, signal));
    };
    await cycle();
    expect(await dispenser.retract({ retractArea: 'reject' }, signal)).toMatchObject({ errorCode: 'notRetractArea' });
    payload(await dispenser.retract({ retractArea: 'retract' }, signal));
    await cycle();
    expect(await dispenser.retract({ retractArea: 'retract' }, signal)).toMatchObject({ errorCode: 'cashUnitError' });
    expect(dispenser.itemsAt()).toHaveLength(1);
  });

  it('rejects the stacker to the reject unit when the session is canceled before present', async () => {
    const { storage, dispenser } = await setup();
    payload(await dispenser.dispense({ denomination: cny(15000) }, signal));
    expect(payload(await dispenser.reject(undefined, signal))).toMatchObject({ count: 2, unitId: 'reject' });
    expect(counts(storage, 'unit1')?.out).toMatchObject({ stacked: 0, rejected: 1 });
    expect(counts(storage, 'reject')?.in.rejected).toBe(2);
    expect(dispenser.getStatus().intermediateStacker).toBe('empty');
    expect(payload(await dispenser.getPresentStatus({}, signal)).presentState).toBe('notPresented');
    expect(await dispenser.reject(undefined, signal)).toMatchObject({ errorCode: 'noItems' });
  });

  it('refuses cash commands during a storage exchange', async () => {
    const { storage, dispenser } = await setup();
    payload(await storage.startExchange(undefined, signal));
    expect(await dispenser.dispense({ denomination: cny(10000) }, signal)).toMatchObject({ errorCode: 'exchangeActive' });
    expect(await dispenser.denominate(cny(10000), signal)).toMatchObject({ errorCode: 'exchangeActive' });
  });

  it('maps denominate failures to XFS4IoT error codes', async () => {
    const { dispenser } = await setup({ maxDispenseItems: 5 });
    const error = async (request: DenominateRequest) => (await dispenser.denominate(request, signal)) as { errorCode?: string };
    expect((await error({ amount: { currency: 'USD', amount: 10000 }, mixNumber: 1 })).errorCode).toBe('invalidCurrency');
    expect((await error({ amount: { currency: 'CNY', amount: 10000 }, mixNumber: 9 })).errorCode).toBe('invalidMixNumber');
    expect((await error(cny(1000))).errorCode).toBe('notDispensable');
    expect((await error(cny(400_000))).errorCode).toBe('tooManyItems');
    expect((await error(cny(1_000_000))).errorCode).toBe('notDispensable');
    expect((await error({ counts: { unit1: 2 }, amount: { currency: 'CNY', amount: 10000 } })).errorCode).toBe(
      'invalidDenomination',
    );
    expect((await error({ counts: { unit1: 51 } })).errorCode).toBe('notDispensable');
    expect(payload(await dispenser.denominate({ counts: { unit1: 1, unit3: 2 } }, signal)).amount.amount).toBe(14000);
  });

  it('follows the equal-emptying mix', async () => {
    const { dispenser } = await setup();
    expect(payload(await dispenser.denominate({ amount: { currency: 'CNY', amount: 10000 }, mixNumber: 2 }, signal)).counts)
      .toEqual({ unit1: 1 });
    const mixes = payload(await dispenser.getMixTypes(undefined, signal));
    expect(mixes.map((m) => m.algorithm)).toEqual(['minimumBills', 'equalEmptying']);
  });

  it('works the shutter itself only with shutterControl; otherwise the application opens it', async () => {
    const { dispenser } = await setup({ shutterControl: false });
    payload(await dispenser.dispense({ denomination: cny(10000) }, signal));
    expect(await dispenser.present({}, signal)).toMatchObject({ errorCode: 'shutterNotOpen' });
    payload(await dispenser.openShutter({}, signal));
    payload(await dispenser.present({}, signal));
    expect(dispenser.takeItems()).toHaveLength(1);
    expect(dispenser.getStatus().positions[0]?.shutter).toBe('open');
    payload(await dispenser.closeShutter({}, signal));
    expect(dispenser.getStatus().positions[0]?.shutter).toBe('closed');
  });

  it('keeps the notes in the stacker when the shutter jams on present', async () => {
    const { dispenser } = await setup();
    payload(await dispenser.dispense({ denomination: cny(10000) }, signal));
    dispenser.injectFault('shutterJam');
    expect(await dispenser.present({}, signal)).toMatchObject({ errorCode: 'shutterNotOpen' });
    expect(dispenser.getStatus().positions[0]?.shutter).toBe('jammed');
    expect(dispenser.stackerContents()).toHaveLength(1);
    const cleared = payload(await dispenser.reset({}, signal));
    expect(cleared).toMatchObject({ count: 1, unitId: 'reject' });
    expect(dispenser.getStatus().positions[0]?.shutter).toBe('closed');
  });
});

describe('MemoryCashDispenser faults', () => {
  it('stops on a pick failure with what reached the stacker, and takes the unit out of service', async () => {
    const { storage, dispenser } = await setup();
    const events = recorder<CashDispenserEvents>(dispenser, ['incompleteDispense']);
    const storageEvents = recorder<StorageEvents>(storage, ['storageError']);
    dispenser.injectFault('pickFailure', { unitId: 'unit2' });
    const result = await dispenser.dispense({ denomination: { counts: { unit1: 2, unit2: 2 } } }, signal);
    expect(result).toMatchObject({
      completionCode: 'commandErrorCode',
      errorCode: 'cashUnitError',
      payload: { denomination: { amount: { amount: 20000 }, counts: { unit1: 2 } } },
    });
    expect(events).toEqual([
      { type: 'incompleteDispense', payload: { denomination: { amount: { currency: 'CNY', amount: 20000 }, counts: { unit1: 2 } } } },
    ]);
    expect(storageEvents[0]?.payload).toEqual({ unitId: 'unit2', failure: 'feedModuleProblem' });
    expect(storage.cashUnit('unit2')?.status).toBe('inoperative');
    expect(dispenser.stackerContents()).toHaveLength(2);
    expect(dispenser.getStatus().dispenser).toBe('attention');
  });

  it('diverts a double note to the reject unit and still pays the full amount', async () => {
    const { storage, dispenser } = await setup();
    const errors = recorder<CashDispenserEvents>(dispenser, ['noteError']);
    dispenser.injectFault('doubleNote', { afterNotes: 1 });
    const result = payload(await dispenser.dispense({ denomination: cny(30000) }, signal));
    expect(result.denomination.amount.amount).toBe(30000);
    expect(result.rejected).toEqual({ unit1: 1 });
    expect(errors).toEqual([{ type: 'noteError', payload: { reason: 'doubleNote' } }]);
    expect(counts(storage, 'unit1')?.out).toMatchObject({ stacked: 3, rejected: 1 });
    expect(counts(storage, 'reject')?.in.rejected).toBe(1);
    expect(storage.cashUnit('unit1')?.count).toBe(46);
  });

  it('fails with cashUnitError when a cassette is physically empty though counted full', async () => {
    const { storage, dispenser } = await setup();
    payload(await storage.startExchange(undefined, signal));
    storage.loadNotes('unit1', []);
    payload(await storage.endExchange(undefined, signal));
    const result = await dispenser.dispense({ denomination: { counts: { unit1: 1 } } }, signal);
    expect(result).toMatchObject({ errorCode: 'cashUnitError', payload: { notes: [] } });
  });

  it('after a power cut mid-dispense, reports exactly which notes left which cassette', async () => {
    const { clock, dispenser } = await setup();
    dispenser.injectFault('powerLoss', { afterNotes: 3 });
    clock.advance(1000);
    const result = await dispenser.dispense({ denomination: { counts: { unit1: 2, unit3: 3 } } }, signal);
    expect(result.completionCode).toBe('timeOut');
    expect(dispenser.getStatus().device).toBe('powerOff');
    expect((await dispenser.getLastTransaction(undefined, signal)).completionCode).toBe('deviceNotReady');

    dispenser.restorePower();
    payload(await dispenser.open(signal));
    const last = payload(await dispenser.getLastTransaction(undefined, signal));
    expect(last).toMatchObject({
      outcome: 'dispensing',
      interrupted: true,
      picked: { unit1: 2, unit3: 1 },
      dispensed: { currency: 'CNY', amount: 22000 },
      requested: { currency: 'CNY', amount: 26000 },
      startedAt: clock.now(),
    });
    expect(last?.notes.map((n) => `${n.unitId}:${n.serialNumber}`)).toEqual([
      'unit1:UNIT100000050',
      'unit1:UNIT100000049',
      'unit3:UNIT300000050',
    ]);
    expect(dispenser.getStatus().intermediateStacker).toBe('notEmptyUnknown');
    expect(payload(await dispenser.getPresentStatus({}, signal)).presentState).toBe('unknown');
    payload(await dispenser.reset({}, signal));
    expect(payload(await dispenser.getLastTransaction(undefined, signal))?.outcome).toBe('rejected');
  });

  it('goes to stop when no unit can pay out', async () => {
    const { dispenser } = await setup({}, [cassette('unit1', 10000, 1, { lowThreshold: 5 }), bin('reject', ['reject'])]);
    expect(dispenser.getStatus().dispenser).toBe('attention');
    payload(await dispenser.dispense({ denomination: cny(10000) }, signal));
    expect(dispenser.getStatus().dispenser).toBe('stop');
  });

  it('drops a command whose signal aborted before it ran', async () => {
    const { dispenser } = await setup();
    const controller = new AbortController();
    controller.abort();
    expect((await dispenser.dispense({ denomination: cny(10000) }, controller.signal)).completionCode).toBe('canceled');
    expect(dispenser.stackerContents()).toHaveLength(0);
  });
});

describe('MemoryCashDispenser end-to-end tokens', () => {
  const e2e = (extra: object = {}) => ({ endToEnd: { hmacSha256, hostKey, deviceKey, ...extra } });

  async function nonce(dispenser: MemoryCashDispenser): Promise<string> {
    return payload(await dispenser.getCommandNonce(undefined, signal)).commandNonce;
  }

  it('dispenses against a valid token and enforces the cumulative amount', async () => {
    const { dispenser } = await setup(e2e());
    expect(dispenser.getStatus().endToEndSecurity).toBe('enforced');
    const token = hostToken(await nonce(dispenser), '300.00CNY', hostKey);
    const cycle = async (amount: number) => {
      const result = await dispenser.dispense({ denomination: cny(amount), token }, signal);
      if (result.completionCode === 'success') {
        payload(await dispenser.present({}, signal));
        dispenser.takeItems();
      }
      return result;
    };
    expect((await cycle(20000)).completionCode).toBe('success');
    expect((await cycle(10000)).completionCode).toBe('success');
    expect((await cycle(5000)).completionCode).toBe('invalidToken');
  });

  it('refuses a second token on the same nonce, even within its amount', async () => {
    const { dispenser } = await setup(e2e());
    const n = await nonce(dispenser);
    payload(await dispenser.dispense({ denomination: cny(10000), token: hostToken(n, '100.00CNY', hostKey) }, signal));
    payload(await dispenser.reject(undefined, signal));
    const other = hostToken(n, '500.00CNY', hostKey);
    expect((await dispenser.dispense({ denomination: cny(10000), token: other }, signal)).completionCode).toBe(
      'invalidToken',
    );
  });

  it('classifies bad tokens by completion code and moves no cash', async () => {
    const { storage, dispenser } = await setup(e2e());
    const attempt = async (token?: string) =>
      (await dispenser.dispense({ denomination: cny(10000), ...(token === undefined ? {} : { token }) }, signal))
        .completionCode;
    expect(await attempt(hostToken('0ABC', '100.00CNY', hostKey))).toBe('noCommandNonce');
    const n = await nonce(dispenser);
    expect(await attempt()).toBe('invalidToken');
    expect(await attempt('NONCE=1,TOKENFORMAT=1')).toBe('invalidTokenFormat');
    expect(await attempt(hostToken(n, '100CNY', hostKey))).toBe('invalidTokenFormat');
    expect(await attempt(hostToken('0ABC', '100.00CNY', hostKey))).toBe('invalidTokenNonce');
    expect(await attempt(hostToken(n, '100.00CNY', deviceKey))).toBe('invalidTokenHMAC');
    expect(await attempt(hostToken(n, '50.00CNY', hostKey))).toBe('invalidToken');
    expect(await attempt(hostToken(n, '100.00USD', hostKey))).toBe('invalidToken');
    const tampered = hostToken(n, '100.00CNY', hostKey).replace('DISPENSE1=100.00', 'DISPENSE1=900.00');
    expect(await attempt(tampered)).toBe('invalidTokenHMAC');
    expect(storage.cashUnit('unit1')?.count).toBe(50);
  });

  it('kills tokens when the nonce is cleared, replaced or times out', async () => {
    const { clock, dispenser } = await setup(e2e({ commandNonceTimeout: 30_000 }));
    const cleared = recorder<CashDispenserEvents>(dispenser, ['nonceCleared']);
    const first = await nonce(dispenser);
    const second = await nonce(dispenser);
    expect(second).not.toBe(first);
    expect(
      (await dispenser.dispense({ denomination: cny(10000), token: hostToken(first, '100.00CNY', hostKey) }, signal))
        .completionCode,
    ).toBe('invalidTokenNonce');
    clock.advance(30_000);
    expect(cleared.map((e) => e.payload)).toEqual([{ reason: 'timeout' }]);
    expect(
      (await dispenser.dispense({ denomination: cny(10000), token: hostToken(second, '100.00CNY', hostKey) }, signal))
        .completionCode,
    ).toBe('noCommandNonce');
    await nonce(dispenser);
    payload(await dispenser.clearCommandNonce(undefined, signal));
    expect(cleared.map((e) => e.payload)).toEqual([{ reason: 'timeout' }, { reason: 'cleared' }]);
  });

  it('signs the present status with the device key over the host nonce', async () => {
    const { dispenser } = await setup(e2e());
    const token = hostToken(await nonce(dispenser), '200.00CNY', hostKey);
    payload(await dispenser.dispense({ denomination: cny(20000), token }, signal));
    payload(await dispenser.present({}, signal));
    const status = payload(await dispenser.getPresentStatus({ nonce: '00C0FFEE' }, signal));
    const signed = status.token?.slice(0, -64) ?? '';
    expect(signed).toMatch(
      /^NONCE=00C0FFEE,TOKENFORMAT=1,TOKENLENGTH=\d{4},DISPENSEID=[0-9A-F]{64},DISPENSED1=200\.00CNY,PRESENTED1=YES,PRESENTEDAMOUNT1=200\.00CNY,RETRACTED1=NO,HMACSHA256=$/,
    );
    expect(signed).toContain(`DISPENSEID=${token.slice(-64)}`);
    expect(status.token?.slice(-64)).toBe(createHmac('sha256', deviceKey).update(signed).digest('hex').toUpperCase());
  });

  it('cannot sign a present status without a device key or end-to-end support', async () => {
    const { dispenser } = await setup();
    expect(dispenser.getStatus().endToEndSecurity).toBe('notSupported');
    expect((await dispenser.getPresentStatus({ nonce: 'AB' }, signal)).completionCode).toBe('invalidTokenKeyNoValue');
    expect((await dispenser.getCommandNonce(undefined, signal)).completionCode).toBe('unsupportedCommand');
  });
});
