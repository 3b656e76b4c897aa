import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceResult } from '../../drivers/common/completion.js';
import type {
  CashAcceptorDevice,
  CashAcceptorEvents,
  ClassifiedNote,
  RecyclerDevice,
} from '../../drivers/cash-acceptor/contract.js';
import type { CashUnit } from '../../drivers/storage/contract.js';

export type RigQuality = 'fit' | 'unfit' | 'suspect' | 'counterfeit' | 'unrecognized';
export interface RigNote {
  readonly denomination: number;
  readonly serial: string;
  readonly quality: RigQuality;
}
export type RigFault = 'jam' | 'cashboxRemoved' | 'stackerFull' | 'fraudAttempt' | 'noAnswer' | 'garbage';

/**
 * A note acceptor under test with the customer's and the engineer's hands on
 * it; not opened yet. Notes are CNY 10, 20, 50 and 100 yuan. Units: a `cashbox`
 * cash-in unit and, on a recycler, recycle units for 50 and 100 yuan (5+ notes each).
 */
export interface CashAcceptorRig {
  readonly acceptor: CashAcceptorDevice | RecyclerDevice;
  /** The faults this rig can cause; the suite skips the others. */
  readonly faults: readonly RigFault[];
  insertNotes(notes: readonly RigNote[]): void;
  /** The customer takes what lies in the bezel; returns the serials. */
  takeReturnedNotes(): string[];
  fault(kind: RigFault): void;
  clear(kind: 'jam' | 'cashboxRemoved' | 'stackerFull'): void;
  /** Absent when the implementation has no power to cut. */
  readonly power?: (on: boolean) => void;
  /**
   * The kiosk process dies and a new one drives the same device: closes the current driver and
   * returns a fresh, unopened one on the same line (`close` then closes that one). Absent for
   * implementations without a device of their own.
   */
  readonly restartDriver?: () => Promise<CashAcceptorDevice | RecyclerDevice>;
  units(): readonly CashUnit[];
  close(): Promise<void>;
}

const signal = (): AbortSignal => new AbortController().signal;

async function waitFor(condition: () => boolean, what: string, ms = 4000): Promise<void> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function payload<T>(r: DeviceResult<T, string, unknown>): T {
  if (r.completionCode !== 'success')
    throw new Error(`${r.completionCode} ${r.errorCode ?? ''}: ${r.errorDescription}`);
  return r.payload;
}

let serial = 0;
const note = (denomination: number, quality: RigQuality = 'fit'): RigNote => ({
  denomination,
  quality,
  serial: `AB${String(++serial).padStart(8, '0')}`,
});
const unit = (rig: CashAcceptorRig, pred: (u: CashUnit) => boolean): CashUnit => {
  const u = rig.units().find(pred);
  if (!u) throw new Error('no such unit');
  return u;
};
const recycler = (rig: CashAcceptorRig, value: number) =>
  unit(rig, (u) => u.configuration.types.includes('recycle') && u.configuration.value === value);
/** Where a fit note of `value` lands on cashInEnd: its recycle unit, or the cashbox on a plain acceptor. */
const fitUnit = (rig: CashAcceptorRig, value: number): CashUnit =>
  rig.units().find((u) => u.configuration.types.includes('recycle') && u.configuration.value === value) ?? cashbox(rig);
const cashbox = (rig: CashAcceptorRig) => unit(rig, (u) => u.id === 'cashbox');
const isRecycler = (a: CashAcceptorDevice | RecyclerDevice): a is RecyclerDevice => 'dispense' in a;

/**
 * The CashAcceptor behaviour every implementation shows (xfs4iot.md §4.6):
 * cashInStart → cashIn (per-note classification; unrecognized returned,
 * counterfeit/suspect retained and reported) → cashInEnd / cashInRollback,
 * limits, each injected fault, offline/online, and pay-out on recyclers.
 */
export function cashAcceptorContract(name: string, makeRig: () => Promise<CashAcceptorRig>): void {
  describe(`CashAcceptor contract: ${name}`, () => {
    let rig: CashAcceptorRig;
    let acceptor: CashAcceptorDevice | RecyclerDevice;
    let seen: { type: keyof CashAcceptorEvents; payload: unknown }[];
    const count = (type: keyof CashAcceptorEvents): number => seen.filter((e) => e.type === type).length;
    const payloads = (type: keyof CashAcceptorEvents): unknown[] =>
      seen.filter((e) => e.type === type).map((e) => e.payload);

    async function deposit(notes: readonly RigNote[]) {
      const asked = count('insertItems');
      const result = acceptor.cashIn(undefined, signal());
      await waitFor(() => count('insertItems') > asked, 'insertItems');
      rig.insertNotes(notes);
      return payload(await result);
    }

    async function takeBack(): Promise<string[]> {
      const taken = count('itemsTaken');
      const serials = rig.takeReturnedNotes();
      await waitFor(() => count('itemsTaken') > taken, 'itemsTaken');
      return serials;
    }

    beforeEach(async () => {
      rig = await makeRig();
      acceptor = rig.acceptor;
      seen = [];
      const types: (keyof CashAcceptorEvents)[] = [
        'statusChanged',
        'error',
        'insertItems',
        'itemsInserted',
        'inputRefuse',
        'itemsPresented',
        'itemsTaken',
      ];
      for (const type of types)
        (acceptor as CashAcceptorDevice).on(type, (p: unknown) => seen.push({ type, payload: p }));
      payload(await acceptor.open(signal()));
      await waitFor(() => acceptor.getStatus().device === 'online', 'online');
    });

    afterEach(async () => {
      await rig.close();
    });

    it('classifies each note, returns the unrecognized one, retains counterfeit and suspect, and commits', async () => {
      const fit = note(10000);
      const unfit = note(5000, 'unfit');
      const suspect = note(10000, 'suspect');
      const counterfeit = note(10000, 'counterfeit');
      const junk = note(0, 'unrecognized');
      const target = fitUnit(rig, 10000).id;
      const before = Object.fromEntries(rig.units().map((u) => [u.id, u.count]));
      payload(await acceptor.cashInStart({}, signal()));
      const result = await deposit([fit, unfit, suspect, counterfeit, junk]);
      expect(result.refused).toBe(1);
      expect(result.items.map((n) => [n.classification, n.serialNumber]).sort()).toEqual(
        [
          ['counterfeit', counterfeit.serial],
          ['fit', fit.serial],
          ['suspect', suspect.serial],
          ['unfit', unfit.serial],
        ].sort(),
      );
      expect(payloads('inputRefuse')).toEqual([{ reason: 'invalidBill', count: 1 }]);
      expect(count('itemsInserted')).toBeGreaterThan(0);
      expect(acceptor.getStatus().escrow).toBe('notEmpty');

      const blocked = await acceptor.cashInEnd(undefined, signal());
      expect(blocked).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'positionNotEmpty' });
      expect(await takeBack()).toEqual([junk.serial]);

      const status = payload(await acceptor.getCashInStatus(undefined, signal()));
      expect(status).toMatchObject({ status: 'active', numOfRefused: 1 });
      expect(status.noteNumberList.reduce((s, n) => s + n.count, 0)).toBe(4);

      const end = payload(await acceptor.cashInEnd(undefined, signal()));
      expect(end.credited).toEqual([{ currency: 'CNY', amount: 15000 }]);
      const where = Object.fromEntries(end.notes.map((n) => [n.serialNumber, n.unitId]));
      expect(where[fit.serial]).toBe(target);
      expect([where[unfit.serial], where[suspect.serial], where[counterfeit.serial]]).toEqual([
        'cashbox',
        'cashbox',
        'cashbox',
      ]);
      const grew = rig
        .units()
        .map((u) => [u.id, u.count - (before[u.id] ?? 0)])
        .filter(([, d]) => d !== 0);
      expect(Object.fromEntries(grew)).toEqual(target === 'cashbox' ? { cashbox: 4 } : { [target]: 1, cashbox: 3 });
      expect(acceptor.getStatus().escrow).toBe('empty');
      expect(payload(await acceptor.getCashInStatus(undefined, signal())).status).toBe('ok');
      expect(await acceptor.cashIn(undefined, signal())).toMatchObject({ errorCode: 'noCashInActive' });
    });

    it('rolls back: accepted notes go back to the customer, retained ones stay', async () => {
      const a = note(10000);
      const b = note(5000);
      const s = note(2000, 'suspect');
      const boxed = cashbox(rig).count;
      payload(await acceptor.cashInStart({}, signal()));
      expect(await acceptor.cashInStart({}, signal())).toMatchObject({ errorCode: 'cashInActive' });
      await deposit([a, b, s]);
      const back = payload(await acceptor.cashInRollback(undefined, signal()));
      expect(back.returned.map((n) => n.serialNumber).sort()).toEqual([a.serial, b.serial].sort());
      expect(back.retained.map((n) => [n.serialNumber, n.classification, n.unitId])).toEqual([
        [s.serial, 'suspect', 'cashbox'],
      ]);
      expect((await takeBack()).sort()).toEqual([a.serial, b.serial].sort());
      expect(cashbox(rig).count).toBe(boxed + 1);
      expect(payload(await acceptor.getCashInStatus(undefined, signal())).status).toBe('rollback');
    });

    it('refuses notes over the item and amount limits and disabled note types', async () => {
      payload(await acceptor.cashInStart({ totalItemsLimit: 1 }, signal()));
      const first = await deposit([note(10000), note(10000)]);
      expect([first.items.length, first.refused]).toEqual([1, 1]);
      expect(payloads('inputRefuse')).toContainEqual({ reason: 'limitOverTotalItems', count: 1 });
      await takeBack();
      expect(await acceptor.cashIn(undefined, signal())).toMatchObject({ errorCode: 'tooManyItems' });
      payload(await acceptor.cashInRollback(undefined, signal()));
      await takeBack();

      payload(await acceptor.cashInStart({ amountLimit: { currency: 'CNY', amount: 12000 } }, signal()));
      const second = await deposit([note(10000), note(5000)]);
      expect([second.items.map((n) => n.value), second.refused]).toEqual([[10000], 1]);
      expect(payloads('inputRefuse')).toContainEqual({ reason: 'limitOverAmount', count: 1 });
      await takeBack();
      payload(await acceptor.cashInRollback(undefined, signal()));
      await takeBack();

      expect(await acceptor.configureNoteTypes({ items: { typeXXX1: true } }, signal())).toMatchObject({
        completionCode: 'invalidData',
      });
      payload(await acceptor.configureNoteTypes({ items: { typeCNY2000: false } }, signal()));
      payload(await acceptor.cashInStart({}, signal()));
      const third = await deposit([note(2000), note(1000)]);
      expect([third.items.map((n) => n.value), third.refused]).toEqual([[1000], 1]);
      await takeBack();
      payload(await acceptor.cashInEnd(undefined, signal()));
    });

    it('reports a jam as a hardware error until cleared', async () => {
      if (!rig.faults.includes('jam')) return;
      rig.fault('jam');
      await waitFor(() => acceptor.getStatus().banknoteReader === 'inoperative', 'reader inoperative');
      expect(acceptor.getStatus()).toMatchObject({ device: 'hardwareError', acceptor: 'stop' });
      payload(await acceptor.cashInStart({}, signal()));
      expect(await acceptor.cashIn(undefined, signal())).toMatchObject({ completionCode: 'hardwareError' });
      rig.clear('jam');
      await waitFor(() => acceptor.getStatus().device === 'online', 'online after the jam');
      expect(acceptor.getStatus().banknoteReader).toBe('ok');
    });

    it('stops deposits while the cashbox is out or full', async () => {
      if (!rig.faults.includes('cashboxRemoved') || !rig.faults.includes('stackerFull')) return;
      rig.fault('cashboxRemoved');
      await waitFor(() => cashbox(rig).status === 'missing', 'cashbox missing');
      expect(acceptor.getStatus()).toMatchObject({ acceptor: 'stop', banknoteReader: 'ok' });
      rig.clear('cashboxRemoved');
      await waitFor(() => acceptor.getStatus().acceptor === 'ok', 'cashbox back');
      rig.fault('stackerFull');
      await waitFor(() => cashbox(rig).replenishmentStatus === 'full', 'cashbox full');
      expect(acceptor.getStatus()).toMatchObject({ acceptor: 'stop', banknoteReader: 'ok' });
      rig.clear('stackerFull');
      await waitFor(() => acceptor.getStatus().acceptor === 'ok', 'cashbox emptied');
    });

    it('hands back a note pulled on a string and reports the fraud attempt', async () => {
      if (!rig.faults.includes('fraudAttempt')) return;
      rig.fault('fraudAttempt');
      payload(await acceptor.cashInStart({}, signal()));
      const result = await deposit([note(10000)]);
      expect([result.items.length, result.refused]).toEqual([0, 1]);
      expect(payloads('error')).toContainEqual(expect.objectContaining({ eventId: 'fraudAttempt' }));
      expect(payloads('inputRefuse')).toContainEqual({ reason: 'counterfeit', count: 1 });
      await takeBack();
    });

    it('rides out a lost reply and line noise', async () => {
      for (const kind of ['noAnswer', 'garbage'] as const) {
        if (!rig.faults.includes(kind)) continue;
        rig.fault(kind);
        payload(await acceptor.getBankNoteTypes(undefined, signal()));
        payload(await acceptor.cashInStart({}, signal()));
        const result = await deposit([note(5000)]);
        expect(result.items).toHaveLength(1);
        payload(await acceptor.cashInEnd(undefined, signal()));
        expect(acceptor.getStatus().device).toBe('online');
      }
    });

    it('goes offline without power and comes back online', async () => {
      if (!rig.power) return;
      rig.power(false);
      await waitFor(() => acceptor.getStatus().device === 'offline', 'offline');
      expect(await acceptor.cashInStart({}, signal())).toMatchObject({ completionCode: 'deviceNotReady' });
      rig.power(true);
      await waitFor(() => acceptor.getStatus().device === 'online', 'online again', 6000);
      payload(await acceptor.cashInStart({}, signal()));
      expect((await deposit([note(1000)])).items).toHaveLength(1);
      payload(await acceptor.cashInEnd(undefined, signal()));
    });

    it('reports notes left in the bezel across a power cut to the driver that starts afresh', async () => {
      if (!rig.power || !rig.restartDriver) return;
      const a = note(10000);
      const b = note(5000);
      payload(await acceptor.cashInStart({}, signal()));
      await deposit([a, b]);
      // The kiosk loses power: the process dies with the escrow, the device gives it back at power-up.
      acceptor = await rig.restartDriver();
      rig.power(false);
      rig.power(true);
      const fresh: typeof seen = [];
      (acceptor as CashAcceptorDevice).on('itemsPresented', (p) => fresh.push({ type: 'itemsPresented', payload: p }));
      (acceptor as CashAcceptorDevice).on('itemsTaken', (p) => fresh.push({ type: 'itemsTaken', payload: p }));
      // The dead driver's last answer may still be on the line and spoil the first handshake: the driver tries again.
      await acceptor.open(signal());
      await waitFor(() => acceptor.getStatus().device === 'online', 'online after the restart');

      const output = () => acceptor.getStatus().positions.find((p) => p.position === 'outDefault');
      expect(output()?.positionStatus).toBe('notEmpty');
      expect(fresh.map((e) => e.type)).toEqual(['itemsPresented']);
      const amounts = acceptor.getStatus().unknownAtOutput?.amounts;
      // eSSP reports the value held in the bezel; CCNET only that notes are there.
      expect([[{ currency: 'CNY', amount: 15000 }], []]).toContainEqual(amounts);
      payload(await acceptor.cashInStart({}, signal()));
      expect(await acceptor.cashIn(undefined, signal())).toMatchObject({ errorCode: 'positionNotEmpty' });

      expect(rig.takeReturnedNotes().sort()).toEqual([a.serial, b.serial].sort());
      await waitFor(() => fresh.some((e) => e.type === 'itemsTaken'), 'itemsTaken');
      expect(output()?.positionStatus).toBe('empty');
      expect(acceptor.getStatus().unknownAtOutput).toBeUndefined();
    });

    it('pays out from the recycle units and the counts move', async () => {
      if (!isRecycler(acceptor)) return;
      const hundreds = recycler(rig, 10000).count;
      const fifties = recycler(rig, 5000).count;
      const denomination = payload(
        await acceptor.denominate({ amount: { currency: 'CNY', amount: 25000 }, mixNumber: 1 }, signal()),
      );
      expect(denomination.counts).toEqual({ [recycler(rig, 10000).id]: 2, [recycler(rig, 5000).id]: 1 });
      payload(
        await acceptor.dispense(
          { denomination: { amount: { currency: 'CNY', amount: 25000 }, mixNumber: 1 } },
          signal(),
        ),
      );
      const presented = payload(await acceptor.present({}, signal()));
      expect(presented.numberOfItems).toBe(3);
      expect(count('itemsPresented')).toBeGreaterThan(0);
      expect(await takeBack()).toHaveLength(3);
      expect(recycler(rig, 10000).count).toBe(hundreds - 2);
      expect(recycler(rig, 5000).count).toBe(fifties - 1);
      expect(recycler(rig, 10000).counts.out.presented).toBe(2);
      expect(
        await acceptor.dispense(
          { denomination: { amount: { currency: 'CNY', amount: 99000000 }, mixNumber: 1 } },
          signal(),
        ),
      ).toMatchObject({
        errorCode: 'notDispensable',
      });
    });
  });
}

/** Classified note as a memory device sees it. */
export function classified(n: RigNote): ClassifiedNote {
  return n.quality === 'unrecognized'
    ? { currency: '', value: 0, classification: 'unrecognized', serialNumber: n.serial }
    : { currency: 'CNY', value: n.denomination, classification: n.quality, serialNumber: n.serial };
}
