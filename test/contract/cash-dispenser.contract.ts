import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  CashDispenserDevice,
  CashDispenserEvents,
  DispenseRequest,
} from '../../drivers/cash-dispenser/contract.js';
import { buildToken, parseToken, tokenHmac } from '../../drivers/cash-dispenser/token.js';
import type { CashUnit } from '../../drivers/storage/contract.js';
import { cashUnitStorage } from '../../main/runtime/maintenance/cash-exchange.js';

export const hmacSha256 = (key: Uint8Array, message: Uint8Array): Uint8Array =>
  createHmac('sha256', key).update(message).digest();

export type RigFault =
  | { readonly kind: 'pickupError' | 'doubleNote' | 'noteTooLong' | 'noteTooShort' | 'rejectBinFull' | 'garbage' }
  | { readonly kind: 'jam'; readonly sensor: 'CHK' | 'DVT' | 'EJT' }
  | { readonly kind: 'cassetteMissing'; readonly unit: number }
  | { readonly kind: 'noAnswer'; readonly count?: number };

/** What physically is where, as the simulated device knows it. */
export interface PhysicalState {
  readonly cassettes: readonly number[];
  readonly stacker: number;
  readonly exit: number;
  readonly rejectBin: number;
}

/**
 * A dispenser under test with the customer's and the engineer's hands. The
 * rig configures four CNY cassettes `cas1..cas4` (100, 50, 20, 10 yuan) of 20
 * notes each, a reject unit `reject` of capacity 50, and tokens enforced with
 * `hostKey` (the bank host's key, shared with the firmware) and `deviceKey`.
 * The dispenser is not opened yet.
 */
export interface DispenserRig {
  readonly dispenser: CashDispenserDevice & { cashUnits(): readonly CashUnit[] };
  readonly hostKey: Uint8Array;
  readonly deviceKey: Uint8Array;
  takeNotes(): void;
  leaveNotes(): void;
  fault(fault: RigFault): void;
  clear(kind: 'cassetteMissing' | 'rejectBinFull', unit?: number): void;
  loadCassette(unit: number, denomination: number, count: number): void;
  power(on: boolean): void;
  physical(): PhysicalState;
  close(): Promise<void>;
}

export const CNY = (yuan: number) => ({ currency: 'CNY', amount: yuan * 100 });
const signal = (): AbortSignal => new AbortController().signal;
/** The errorCode of a failed completion, undefined on success. */
const errorOf = (result: { readonly completionCode: string; readonly errorCode?: string }): string | undefined => result.errorCode;

export async function waitFor(condition: () => boolean, what: string, ms = 4000): Promise<void> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The bank host's side: a fresh nonce from the dispenser and a token for `yuan`. */
export async function authorise(dispenser: CashDispenserDevice, hostKey: Uint8Array, yuan: number): Promise<string> {
  const nonce = await dispenser.getCommandNonce(undefined, signal());
  if (nonce.completionCode !== 'success') throw new Error(`no nonce: ${nonce.errorDescription}`);
  return buildToken(nonce.payload.commandNonce, [['DISPENSE1', `${yuan}.00CNY`]], hostKey, hmacSha256);
}

/**
 * The CashDispenser behaviour every model must show over its device: the
 * cash-out lifecycle of xfs4iot.md §4.5 with counts, the end-to-end token
 * checks of §5 done by the firmware, each documented device fault, and
 * offline/online.
 */
export function cashDispenserContract(name: string, makeRig: () => Promise<DispenserRig>): void {
  describe(`CashDispenser contract: ${name}`, () => {
    let rig: DispenserRig;
    let d: DispenserRig['dispenser'];
    let seen: { type: keyof CashDispenserEvents; payload: unknown }[];
    const events = (type: keyof CashDispenserEvents) => seen.filter((e) => e.type === type);
    const unit = (id: string): CashUnit => {
      const found = d.cashUnits().find((u) => u.id === id);
      if (!found) throw new Error(`no unit ${id}`);
      return found;
    };
    const ledgerCassettes = () => ['cas1', 'cas2', 'cas3', 'cas4'].map((id) => unit(id).count);

    async function dispense(yuan: number, mixNumber = 1, extra: Partial<DispenseRequest> = {}) {
      const token = await authorise(d, rig.hostKey, yuan);
      return d.dispense({ denomination: { amount: CNY(yuan), mixNumber }, token, ...extra }, signal());
    }

    beforeEach(async () => {
      rig = await makeRig();
      d = rig.dispenser;
      seen = [];
      const types: (keyof CashDispenserEvents)[] = [
        'statusChanged',
        'itemsPresented',
        'itemsTaken',
        'noteError',
        'startDispense',
        'incompleteDispense',
        'nonceCleared',
        'shutterStatusChanged',
      ];
      for (const type of types) d.on(type, (payload) => seen.push({ type, payload }));
      const opened = await d.open(signal());
      expect(opened.completionCode).toBe('success');
    });

    afterEach(async () => {
      await rig.close();
    });

    it('reports four loaded cassettes and enforced tokens once open', () => {
      const status = d.getStatus();
      expect(status.device).toBe('online');
      expect(status.dispenser).toBe('ok');
      expect(status.intermediateStacker).toBe('empty');
      expect(status.endToEndSecurity).toBe('enforced');
      expect(ledgerCassettes()).toEqual([20, 20, 20, 20]);
      expect(d.getCapabilities().endToEndSecurity.required).toBe(true);
    });

    it('denominates with both mixes without moving a note', async () => {
      const types = await d.getMixTypes(undefined, signal());
      expect(types.completionCode === 'success' && types.payload.map((m) => m.algorithm)).toEqual(['minimumBills', 'equalEmptying']);
      const minimum = await d.denominate({ amount: CNY(380), mixNumber: 1 }, signal());
      expect(minimum).toEqual({ completionCode: 'success', payload: { amount: CNY(380), counts: { cas1: 3, cas2: 1, cas3: 1, cas4: 1 } } });
      const equal = await d.denominate({ amount: CNY(180), mixNumber: 2 }, signal());
      expect(equal.completionCode).toBe('success');
      if (equal.completionCode !== 'success') return;
      const counts = equal.payload.counts;
      expect((counts.cas1 ?? 0) * 100 + (counts.cas2 ?? 0) * 50 + (counts.cas3 ?? 0) * 20 + (counts.cas4 ?? 0) * 10).toBe(180);
      expect(Object.keys(counts).length).toBeGreaterThan(1);
      expect(errorOf(await d.denominate({ amount: CNY(5), mixNumber: 1 }, signal()))).toBe('notDispensable');
      expect(rig.physical().cassettes).toEqual([20, 20, 20, 20]);
    });

    it('dispenses with a valid token, presents, and counts the notes the customer takes', async () => {
      const result = await dispense(180);
      expect(result.completionCode).toBe('success');
      if (result.completionCode !== 'success') return;
      expect(result.payload.denomination).toEqual({ amount: CNY(180), counts: { cas1: 1, cas2: 1, cas3: 1, cas4: 1 } });
      expect(result.payload.notes.map((n) => n.unitId)).toEqual(['cas1', 'cas2', 'cas3', 'cas4']);
      for (const note of result.payload.notes) expect(note.serialNumber).toMatch(/^[A-Z]{2}[0-9]{8}$/);
      expect(d.getStatus().intermediateStacker).toBe('notEmpty');
      expect(unit('cas1').counts.out.stacked).toBe(1);
      expect(rig.physical()).toMatchObject({ stacker: 4, exit: 0 });

      const presented = await d.present({}, signal());
      expect(presented).toEqual({ completionCode: 'success', payload: { position: 'outDefault', numberOfItems: 4, additionalBunches: 0 } });
      expect(events('itemsPresented')).toHaveLength(1);
      expect(d.getStatus().positions[0]?.positionStatus).toBe('notEmpty');

      rig.takeNotes();
      await waitFor(() => events('itemsTaken').length === 1, 'itemsTaken');
      await waitFor(() => d.getStatus().positions[0]?.positionStatus === 'empty', 'empty exit');
      for (const id of ['cas1', 'cas2', 'cas3', 'cas4']) {
        expect(unit(id).counts.out).toMatchObject({ presented: 1, stacked: 0, rejected: 0 });
      }
      expect(ledgerCassettes()).toEqual([19, 19, 19, 19]);
      expect(rig.physical().cassettes).toEqual(ledgerCassettes());

      const last = await d.getLastTransaction(undefined, signal());
      expect(last.completionCode === 'success' && last.payload).toMatchObject({
        outcome: 'taken',
        interrupted: false,
        requested: CNY(180),
        dispensed: CNY(180),
        presented: CNY(180),
        picked: { cas1: 1, cas2: 1, cas3: 1, cas4: 1 },
      });
      if (last.completionCode === 'success') {
        expect(last.payload?.notes.map((n) => n.serialNumber)).toEqual(result.payload.notes.map((n) => n.serialNumber));
      }
    });

    it('signs the present status with the device key when given a nonce', async () => {
      await dispense(100);
      await d.present({}, signal());
      const status = await d.getPresentStatus({ nonce: 'ABCDEF0123456789' }, signal());
      expect(status.completionCode).toBe('success');
      if (status.completionCode !== 'success') return;
      expect(status.payload).toMatchObject({ presentState: 'presented', presented: CNY(100), retracted: false });
      const token = parseToken(status.payload.token ?? '');
      expect(token?.nonce).toBe('ABCDEF0123456789');
      expect(token?.fields.get('PRESENTEDAMOUNT1')).toBe('100.00CNY');
      expect(token?.hmac).toBe(await tokenHmac(token?.signed ?? '', rig.deviceKey, hmacSha256));
      expect(token?.hmac).not.toBe(await tokenHmac(token?.signed ?? '', rig.hostKey, hmacSha256));
    });

    it('replenishes through a Storage exchange: cash commands wait, the counts become the counted notes', async () => {
      await dispense(100);
      await d.present({}, signal());
      rig.takeNotes();
      await waitFor(() => d.getStatus().positions[0]?.positionStatus === 'empty', 'empty exit');
      const storage = cashUnitStorage(d);
      if (!storage) throw new Error('the dispenser offers no Storage exchange');
      // The engineer fills cassette 1 to 120 notes.
      rig.loadCassette(1, 10000, 120);
      expect((await storage.startExchange(undefined, signal())).completionCode).toBe('success');
      expect(errorOf(await storage.startExchange(undefined, signal()))).toBe('exchangeActive');
      expect(errorOf(await d.denominate({ amount: CNY(100), mixNumber: 1 }, signal()))).toBe('exchangeActive');
      // One unknown unit refuses the whole change.
      expect(errorOf(await storage.setCashUnits({ cas1: { initial: 120 }, cas9: { initial: 1 } }, signal()))).toBe('invalidUnit');
      expect(unit('cas1').count).toBe(19);
      expect((await storage.setCashUnits({ cas1: { initial: 120 } }, signal())).completionCode).toBe('success');
      expect(unit('cas1').counts).toMatchObject({ initial: 120, out: { presented: 0 } });
      expect((await storage.endExchange(undefined, signal())).completionCode).toBe('success');
      expect(errorOf(await storage.endExchange(undefined, signal()))).toBe('noExchangeActive');
      // The dispense before the exchange is not counted again; the next one is.
      expect((await dispense(100)).completionCode).toBe('success');
      await d.present({}, signal());
      rig.takeNotes();
      await waitFor(() => d.getStatus().positions[0]?.positionStatus === 'empty', 'empty exit');
      expect(rig.physical().cassettes).toEqual(ledgerCassettes());
      expect(ledgerCassettes()).toEqual([119, 20, 20, 20]);
    });

    it('retracts notes the customer left, into the retracted bucket of the reject unit', async () => {
      await dispense(70);
      await d.present({}, signal());
      rig.leaveNotes();
      const retracted = await d.retract({ retractArea: 'reject' }, signal());
      expect(retracted.completionCode).toBe('success');
      if (retracted.completionCode !== 'success') return;
      expect(retracted.payload.count).toBe(2);
      expect(retracted.payload.unitId).toBe('reject');
      expect(retracted.payload.notes.map((n) => (n as { unitId?: string }).unitId)).toEqual(['cas2', 'cas3']);
      expect(unit('reject').counts.in).toMatchObject({ retracted: 2, retractOperations: 1, rejected: 0 });
      expect(unit('cas2').counts.out.presented).toBe(1);
      expect(rig.physical()).toMatchObject({ exit: 0, rejectBin: 2 });
      expect(events('itemsTaken')).toHaveLength(0);
      const last = await d.getLastTransaction(undefined, signal());
      expect(last.completionCode === 'success' && last.payload).toMatchObject({ outcome: 'retracted', retracted: 2 });
      expect(errorOf(await d.retract({ retractArea: 'transport' }, signal()))).toBe('notRetractArea');
    });

    it('empties the reject bin through a Storage exchange: its counters start again from the count', async () => {
      await dispense(70);
      await d.present({}, signal());
      rig.leaveNotes();
      expect((await d.retract({ retractArea: 'reject' }, signal())).completionCode).toBe('success');
      expect(unit('reject').count).toBe(2);
      const storage = cashUnitStorage(d);
      if (!storage) throw new Error('the dispenser offers no Storage exchange');
      rig.clear('rejectBinFull');
      expect((await storage.startExchange(undefined, signal())).completionCode).toBe('success');
      expect((await storage.setCashUnits({ reject: { initial: 0 } }, signal())).completionCode).toBe('success');
      expect((await storage.endExchange(undefined, signal())).completionCode).toBe('success');
      expect(unit('reject').count).toBe(0);
      expect(unit('reject').counts).toMatchObject({ initial: 0, in: { retracted: 0, retractOperations: 0, rejected: 0 } });
      expect(rig.physical().rejectBin).toBe(0);
      // The retract before the exchange is not counted again when its record is read.
      expect((await d.getLastTransaction(undefined, signal())).completionCode).toBe('success');
      expect(unit('reject').count).toBe(0);
    });

    it('rejects the stacked notes when the customer cancels before present', async () => {
      await dispense(150);
      const rejected = await d.reject(undefined, signal());
      expect(rejected.completionCode === 'success' && rejected.payload.count).toBe(2);
      expect(unit('cas1').counts.out).toMatchObject({ rejected: 1, stacked: 0, presented: 0 });
      expect(unit('reject').counts.in.rejected).toBe(2);
      expect(unit('reject').count).toBe(2);
      expect(rig.physical()).toMatchObject({ stacker: 0, rejectBin: 2 });
      expect(d.getStatus().intermediateStacker).toBe('empty');
      expect(errorOf(await d.reject(undefined, signal()))).toBe('noItems');
    });

    it('cannot dispense without a valid host-signed token; nothing moves', async () => {
      const request = { denomination: { amount: CNY(100), mixNumber: 1 } };
      expect((await d.dispense(request, signal())).completionCode).toBe('invalidToken');
      const token = await authorise(d, rig.hostKey, 100);
      const forged = await buildToken(parseToken(token)?.nonce ?? '', [['DISPENSE1', '100.00CNY']], new Uint8Array(32).fill(7), hmacSha256);
      expect((await d.dispense({ ...request, token: forged }, signal())).completionCode).toBe('invalidTokenHMAC');
      const tooMuch = await d.dispense({ denomination: { amount: CNY(200), mixNumber: 1 }, token }, signal());
      expect(tooMuch.completionCode).toBe('invalidToken');
      expect(rig.physical().cassettes).toEqual([20, 20, 20, 20]);

      expect((await d.dispense({ ...request, token }, signal())).completionCode).toBe('success');
      await d.reject(undefined, signal());
      // The same token again: the cumulative amount is spent.
      expect((await d.dispense({ ...request, token }, signal())).completionCode).toBe('invalidToken');
      const fresh = await authorise(d, rig.hostKey, 100);
      expect(fresh).not.toBe(token);
      // The old token on the new nonce is stale.
      expect((await d.dispense({ ...request, token }, signal())).completionCode).toBe('invalidTokenNonce');
      await d.clearCommandNonce(undefined, signal());
      expect(events('nonceCleared').map((e) => e.payload)).toEqual([{ reason: 'cleared' }]);
      expect((await d.dispense({ ...request, token: fresh }, signal())).completionCode).toBe('noCommandNonce');
      expect(rig.physical().cassettes).toEqual([19, 20, 20, 20]);
      expect(ledgerCassettes()).toEqual(rig.physical().cassettes);
    });

    it('stops short when a cassette runs empty mid-dispense and says what reached the stacker', async () => {
      rig.loadCassette(4, 1000, 2);
      const token = await authorise(d, rig.hostKey, 50);
      const result = await d.dispense({ denomination: { counts: { cas4: 5 } }, token }, signal());
      expect(result).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'cashUnitError' });
      expect(result.payload?.denomination).toEqual({ amount: CNY(20), counts: { cas4: 2 } });
      expect(events('incompleteDispense')).toHaveLength(1);
      expect(unit('cas4').counts.out.stacked).toBe(2);
      const last = await d.getLastTransaction(undefined, signal());
      expect(last.completionCode === 'success' && last.payload).toMatchObject({ interrupted: true, outcome: 'stacked', picked: { cas4: 2 } });
      expect(rig.physical()).toMatchObject({ stacker: 2 });
    });

    it('reports a pick-up error as cashUnitError with what got out', async () => {
      rig.fault({ kind: 'pickupError' });
      const result = await dispense(100);
      expect(result).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'cashUnitError' });
      expect(result.payload?.notes).toEqual([]);
    });

    for (const sensor of ['CHK', 'DVT', 'EJT'] as const) {
      it(`reports a jam at ${sensor} as hardwareError until reset`, async () => {
        rig.fault({ kind: 'jam', sensor });
        const result = await dispense(60, 1);
        expect(result.completionCode).toBe('hardwareError');
        expect(result.payload?.notes.length).toBe(1);
        await waitFor(() => d.getStatus().device === 'hardwareError', 'hardwareError state');
        expect((await dispense(10)).completionCode).toBe('hardwareError');
        const reset = await d.reset({}, signal());
        expect(reset.completionCode === 'success' && reset.payload.count).toBe(1);
        await waitFor(() => d.getStatus().device === 'online', 'online after reset');
        expect(unit('reject').counts.in.rejected).toBe(1);
        expect(rig.physical().rejectBin).toBe(1);
      });
    }

    for (const [kind, reason] of [
      ['doubleNote', 'doubleNote'],
      ['noteTooLong', 'longNote'],
      ['noteTooShort', 'shortNote'],
    ] as const) {
      it(`diverts a ${kind} to the reject bin and still pays the full amount`, async () => {
        rig.fault({ kind });
        const result = await dispense(100);
        expect(result.completionCode).toBe('success');
        expect(result.completionCode === 'success' && result.payload.rejected).toEqual({ cas1: 1 });
        expect(events('noteError').map((e) => e.payload)).toEqual([{ reason }]);
        expect(unit('cas1').counts.out).toMatchObject({ stacked: 1, rejected: 1 });
        expect(unit('reject').counts.in.rejected).toBe(1);
        expect(ledgerCassettes()[0]).toBe(18);
        expect(rig.physical()).toMatchObject({ stacker: 1, rejectBin: 1 });
        expect(rig.physical().cassettes[0]).toBe(18);
      });
    }

    it('takes a missing cassette out of the mix', async () => {
      rig.fault({ kind: 'cassetteMissing', unit: 1 });
      await waitFor(() => unit('cas1').status === 'missing', 'cas1 missing');
      expect(d.getStatus().dispenser).toBe('attention');
      const denominated = await d.denominate({ amount: CNY(100), mixNumber: 1 }, signal());
      expect(denominated.completionCode === 'success' && denominated.payload.counts).toEqual({ cas2: 2 });
      expect(errorOf(await d.denominate({ counts: { cas1: 1 } }, signal()))).toBe('invalidDenomination');
      rig.clear('cassetteMissing', 1);
      await waitFor(() => unit('cas1').status === 'ok', 'cas1 back');
    });

    it('refuses to dispense into a full reject bin and reports the module stopped', async () => {
      rig.fault({ kind: 'rejectBinFull' });
      await waitFor(() => d.getStatus().dispenser === 'stop', 'dispenser stop');
      const result = await dispense(100);
      expect(result).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'cashUnitError' });
      expect(rig.physical().cassettes).toEqual([20, 20, 20, 20]);
    });

    it('survives line noise before a reply', async () => {
      rig.fault({ kind: 'garbage' });
      const denominated = await dispense(10);
      expect(denominated.completionCode).toBe('success');
    });

    it('goes offline when the device stops answering and online when it is back', async () => {
      await authorise(d, rig.hostKey, 10);
      rig.power(false);
      await waitFor(() => d.getStatus().device === 'offline', 'offline');
      expect((await d.denominate({ amount: CNY(100), mixNumber: 1 }, signal())).completionCode).toBe('deviceNotReady');
      rig.power(true);
      await waitFor(() => d.getStatus().device === 'online', 'online again');
      expect(events('nonceCleared').map((e) => e.payload)).toEqual([{ reason: 'powerLoss' }]);
      expect((await dispense(10)).completionCode).toBe('success');
    });
  });
}
