import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../drivers/common/clock.js';
import type { DeviceResult } from '../../../../drivers/common/completion.js';
import type {
  CashAcceptorCommands,
  CashAcceptorEvents,
  ClassifiedNote,
  NoteClassification,
  RecyclerDevice,
} from '../../../../drivers/cash-acceptor/contract.js';
import { MemoryCashAcceptor } from '../../../../drivers/cash-acceptor/memory.js';
import type { MemoryCashAcceptorOptions } from '../../../../drivers/cash-acceptor/memory.js';
import type { CashDispenserCommands } from '../../../../drivers/cash-dispenser/contract.js';
import type { MemoryCashUnitSetup } from '../../../../drivers/storage/memory.js';
import { bin, dispenserStorage, recorder, signal } from '../cash-dispenser/fixtures.js';

const UNITS: readonly MemoryCashUnitSetup[] = [
  { id: 'rc100', position: 'rc1', configuration: { types: ['recycle'], currency: 'CNY', value: 10000, capacity: 3 } },
  { id: 'cashin', position: 'ci', configuration: { types: ['cashIn'], capacity: 500 } },
  bin('retract', ['retract']),
  bin('reject', ['reject']),
];

let serial = 0;
function note(value: number, classification: NoteClassification = 'fit'): ClassifiedNote {
  serial += 1;
  return classification === 'unrecognized'
    ? { currency: '', value: 0, classification }
    : { currency: 'CNY', value, classification, serialNumber: `AB${String(serial).padStart(8, '0')}` };
}

async function setup(options: Partial<MemoryCashAcceptorOptions> = {}, units = UNITS) {
  const storage = await dispenserStorage(new ManualClock(), units);
  const acceptor = new MemoryCashAcceptor({
    storage,
    noteTypes: [10000, 5000, 2000, 1000].map((value) => ({ currency: 'CNY', value })),
    ...options,
  });
  await acceptor.open(signal);
  return { storage, acceptor };
}

function payload<T>(result: DeviceResult<T, string, unknown>): T {
  if (result.completionCode !== 'success') {
    throw new Error(`${result.completionCode} ${result.errorCode ?? ''}: ${result.errorDescription}`);
  }
  return result.payload;
}

/** Runs cashIn while the customer inserts `notes` once the device asks for them. */
async function deposit(acceptor: MemoryCashAcceptor, notes: ClassifiedNote[]) {
  const off = acceptor.on('insertItems', () => acceptor.insertItems(notes));
  try {
    return await acceptor.cashIn(undefined, signal);
  } finally {
    off();
  }
}

describe('MemoryCashAcceptor escrow lifecycle', () => {
  it('refuses cash-in commands without cashInStart', async () => {
    const { acceptor } = await setup();
    for (const result of [
      await acceptor.cashIn(undefined, signal),
      await acceptor.cashInEnd(undefined, signal),
      await acceptor.cashInRollback(undefined, signal),
    ]) {
      expect(result).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'noCashInActive' });
    }
  });

  it('classifies notes into escrow, hands back the unrecognized, and commits to the right units', async () => {
    const { storage, acceptor } = await setup();
    const events = recorder<CashAcceptorEvents>(acceptor, ['insertItems', 'itemsInserted', 'inputRefuse', 'itemsPresented']);
    payload(await acceptor.cashInStart({}, signal));
    const fit = [note(10000), note(10000)];
    const inserted = [...fit, note(5000, 'unfit'), note(0, 'unrecognized'), note(10000, 'counterfeit'), note(2000, 'suspect')];
    const bunch = payload(await deposit(acceptor, inserted));
    expect(bunch.refused).toBe(1);
    expect(bunch.items.map((n) => n.classification)).toEqual(['fit', 'fit', 'unfit', 'counterfeit', 'suspect']);
    expect(events.map((e) => e.type)).toEqual(['insertItems', 'itemsInserted', 'inputRefuse', 'itemsPresented']);
    expect(events[2]?.payload).toEqual({ reason: 'invalidBill', count: 1 });
    expect(acceptor.getStatus()).toMatchObject({ escrow: 'notEmpty' });
    expect(acceptor.getStatus().positions.find((p) => p.position === 'inDefault')?.shutter).toBe('closed');

    expect(await acceptor.cashInEnd(undefined, signal)).toMatchObject({ errorCode: 'positionNotEmpty' });
    expect(acceptor.takeItems()).toEqual([inserted[3]]);

    const status = payload(await acceptor.getCashInStatus(undefined, signal));
    expect(status).toMatchObject({ status: 'active', numOfRefused: 1 });
    expect(status.noteNumberList).toContainEqual({ currency: 'CNY', value: 10000, classification: 'fit', count: 2 });

    const end = payload(await acceptor.cashInEnd(undefined, signal));
    expect(end.credited).toEqual([{ currency: 'CNY', amount: 25000 }]);
    expect(end.stored).toEqual({ rc100: 2, cashin: 1, retract: 2 });
    expect(storage.notesIn('rc100').map((n) => n.serialNumber)).toEqual(fit.map((n) => n.serialNumber));
    expect(storage.cashUnit('rc100')?.counts.in.deposited).toBe(2);
    expect(storage.cashUnit('retract')?.count).toBe(2);
    expect(payload(await acceptor.getCashInStatus(undefined, signal)).status).toBe('ok');
    expect(acceptor.getStatus().escrow).toBe('empty');
  });

  it('sends fit notes past a full recycle unit to the cash-in unit, and only fit ones to recycling', async () => {
    const { acceptor } = await setup();
    payload(await acceptor.cashInStart({}, signal));
    payload(await deposit(acceptor, [note(10000), note(10000), note(10000), note(10000), note(10000, 'unfit')]));
    expect(payload(await acceptor.cashInEnd(undefined, signal)).stored).toEqual({ rc100: 3, cashin: 2 });
    payload(await acceptor.cashInStart({ useRecycleUnits: false }, signal));
    payload(await deposit(acceptor, [note(10000)]));
    expect(payload(await acceptor.cashInEnd(undefined, signal)).stored).toEqual({ cashin: 1 });
  });

  it('moves nothing when some note has nowhere to go', async () => {
    const units: MemoryCashUnitSetup[] = [
      { id: 'cashin', position: 'ci', configuration: { types: ['cashIn'], capacity: 1 } },
      bin('retract', ['retract']),
    ];
    const { storage, acceptor } = await setup({}, units);
    payload(await acceptor.cashInStart({}, signal));
    payload(await deposit(acceptor, [note(1000), note(1000)]));
    expect(await acceptor.cashInEnd(undefined, signal)).toMatchObject({ errorCode: 'cashUnitError' });
    expect(storage.cashUnit('cashin')?.count).toBe(0);
    expect(acceptor.escrowContents()).toHaveLength(2);
    expect(payload(await acceptor.cashInRollback(undefined, signal)).returned).toHaveLength(2);
  });

  it('rolls back: returns credited notes, keeps retained levels, and ends the transaction', async () => {
    const { storage, acceptor } = await setup();
    const taken = recorder<CashAcceptorEvents>(acceptor, ['itemsTaken']);
    payload(await acceptor.cashInStart({}, signal));
    const good = [note(5000), note(2000, 'unfit')];
    payload(await deposit(acceptor, [...good, note(10000, 'counterfeit')]));
    const rollback = payload(await acceptor.cashInRollback(undefined, signal));
    expect(rollback.returned).toEqual(good);
    expect(rollback.retained).toMatchObject([{ classification: 'counterfeit', unitId: 'retract' }]);
    expect(storage.cashUnit('retract')?.counts.in.deposited).toBe(1);
    expect(acceptor.takeItems()).toEqual(good);
    expect(taken).toHaveLength(1);
    expect(payload(await acceptor.getCashInStatus(undefined, signal)).status).toBe('rollback');
    expect(await acceptor.cashIn(undefined, signal)).toMatchObject({ errorCode: 'noCashInActive' });
  });

  it('returns counterfeit notes at once when the device is set not to retain them', async () => {
    const { acceptor } = await setup({ retainAction: { counterfeit: false, suspect: true, inked: true } });
    const refusals = recorder<CashAcceptorEvents>(acceptor, ['inputRefuse']);
    payload(await acceptor.cashInStart({}, signal));
    expect(payload(await deposit(acceptor, [note(10000, 'counterfeit'), note(1000)])).refused).toBe(1);
    expect(refusals.map((e) => e.payload)).toEqual([{ reason: 'counterfeit', count: 1 }]);
  });

  it('retracts rolled-back notes the customer left behind', async () => {
    const { storage, acceptor } = await setup();
    payload(await acceptor.cashInStart({}, signal));
    payload(await deposit(acceptor, [note(5000)]));
    payload(await acceptor.cashInRollback(undefined, signal));
    expect(payload(await acceptor.retract({ retractArea: 'retract' }, signal))).toMatchObject({ count: 1, unitId: 'retract' });
    expect(storage.cashUnit('retract')?.counts.in).toMatchObject({ retracted: 1, retractOperations: 1 });
  });

  it('a retract during a cash-in takes the escrow along and ends the transaction', async () => {
    const { storage, acceptor } = await setup();
    payload(await acceptor.cashInStart({}, signal));
    payload(await deposit(acceptor, [note(5000), note(0, 'unrecognized')]));
    expect(payload(await acceptor.retract({ retractArea: 'retract' }, signal)).count).toBe(2);
    expect(storage.cashUnit('retract')?.count).toBe(2);
    expect(payload(await acceptor.getCashInStatus(undefined, signal)).status).toBe('retract');
    expect(await acceptor.cashInEnd(undefined, signal)).toMatchObject({ errorCode: 'noCashInActive' });
  });
});

describe('MemoryCashAcceptor limits and configuration', () => {
  it('refuses notes over the item and amount limits', async () => {
    const { acceptor } = await setup();
    const refusals = recorder<CashAcceptorEvents>(acceptor, ['inputRefuse']);
    payload(await acceptor.cashInStart({ totalItemsLimit: 2 }, signal));
    expect(payload(await deposit(acceptor, [note(1000), note(1000), note(1000)])).refused).toBe(1);
    acceptor.takeItems();
    expect(await acceptor.cashIn(undefined, signal)).toMatchObject({ errorCode: 'tooManyItems' });
    payload(await acceptor.cashInEnd(undefined, signal));

    payload(await acceptor.cashInStart({ amountLimit: { currency: 'CNY', amount: 15000 } }, signal));
    expect(payload(await deposit(acceptor, [note(10000), note(10000), note(5000)])).items).toHaveLength(2);
    expect(refusals.map((e) => e.payload)).toEqual([
      { reason: 'limitOverTotalItems', count: 1 },
      { reason: 'limitOverAmount', count: 1 },
    ]);
  });

  it('processes a large insertion in sub-bunches', async () => {
    const { acceptor } = await setup({ bunchSize: 2 });
    const subs = recorder<CashAcceptorEvents>(acceptor, ['subCashIn']);
    payload(await acceptor.cashInStart({}, signal));
    payload(await deposit(acceptor, [note(1000), note(1000), note(1000), note(1000), note(1000)]));
    expect(subs.map((e) => (e.payload as { items: unknown[] }).items.length)).toEqual([2, 2, 1]);
  });

  it('cancels a cashIn waiting for notes and closes the input', async () => {
    const { acceptor } = await setup();
    payload(await acceptor.cashInStart({}, signal));
    const controller = new AbortController();
    acceptor.on('insertItems', () => controller.abort());
    expect((await acceptor.cashIn(undefined, controller.signal)).completionCode).toBe('canceled');
    expect(acceptor.getStatus().positions.find((p) => p.position === 'inDefault')?.shutter).toBe('closed');
    expect(payload(await acceptor.getCashInStatus(undefined, signal)).status).toBe('active');
  });

  it('guards the transaction against double starts, exchanges and reconfiguration', async () => {
    const { storage, acceptor } = await setup();
    payload(await acceptor.cashInStart({}, signal));
    expect(await acceptor.cashInStart({}, signal)).toMatchObject({ errorCode: 'cashInActive' });
    expect(await acceptor.configureNoteTypes({ items: { typeCNY1000: false } }, signal)).toMatchObject({
      errorCode: 'cashInActive',
    });
    payload(await acceptor.reset({}, signal));
    expect(payload(await acceptor.getCashInStatus(undefined, signal)).status).toBe('reset');
    payload(await storage.startExchange(undefined, signal));
    expect(await acceptor.cashInStart({}, signal)).toMatchObject({ errorCode: 'exchangeActive' });
  });

  it('refuses disabled note types as invalid bills', async () => {
    const { acceptor } = await setup();
    expect((await acceptor.configureNoteTypes({ items: { typeUSD100: true } }, signal)).completionCode).toBe('invalidData');
    payload(await acceptor.configureNoteTypes({ items: { typeCNY1000: false } }, signal));
    const types = payload(await acceptor.getBankNoteTypes(undefined, signal));
    expect(types.find((t) => t.id === 'typeCNY1000')?.enabled).toBe(false);
    payload(await acceptor.cashInStart({}, signal));
    expect(payload(await deposit(acceptor, [note(1000), note(2000)])).items).toHaveLength(1);
  });

  it('goes to stop on a validator failure until reset', async () => {
    const { acceptor } = await setup();
    expect(acceptor.getStatus().acceptor).toBe('ok');
    acceptor.injectFault('readerFailure');
    payload(await acceptor.cashInStart({}, signal));
    expect((await acceptor.cashIn(undefined, signal)).completionCode).toBe('hardwareError');
    expect(acceptor.getStatus()).toMatchObject({ acceptor: 'stop', banknoteReader: 'inoperative' });
    payload(await acceptor.reset({}, signal));
    expect(acceptor.getStatus()).toMatchObject({ acceptor: 'ok', banknoteReader: 'ok' });
  });
});

describe('RecyclerDevice', () => {
  it('is usable wherever the dispenser or acceptor commands are expected', () => {
    // Compile-time: a recycler satisfies both command sets (tsc checks the tests too).
    const asDispenser = (r: RecyclerDevice): CashDispenserCommands => r;
    const asAcceptor = (r: RecyclerDevice): CashAcceptorCommands => r;
    expect([asDispenser, asAcceptor]).toHaveLength(2);
  });
});
