import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../../drivers/common/clock.js';
import { MemoryCashAcceptor } from '../../../../drivers/cash-acceptor/memory.js';
import type { RetractArea } from '../../../../drivers/cash-dispenser/contract.js';
import type { MemoryCashUnitSetup } from '../../../../drivers/storage/memory.js';
import { aes } from '../../../../main/crypto/aes.js';
import { ReversalQueue, StorageCipher, openLinkDb } from '../../../../main/host-link/index.js';
import type { IsoMessage } from '../../../../main/host-link/iso8583/index.js';
import { Journal } from '../../../../main/journal/journal.js';
import { cashInTrail } from '../../../../main/runtime/banking/cash-in-recovery.js';
import { recoverAfterRestart } from '../../../../main/runtime/banking/recovery.js';
import { bin, dispenserStorage, signal } from '../../drivers/cash-dispenser/fixtures.js';

const at = (time: number, event: string, extra: Record<string, unknown> = {}) => ({ time, event, ...extra });
const counted = at(3, 'cashIn.counted', { notes: [{ value: 10_000, level: 'fit' }] });

describe('the last cash-in as the journal tells it', () => {
  it('is absent when no cash-in was started', () => {
    expect(cashInTrail([at(1, 'cashIn.returnedTaken')])).toBeUndefined();
  });

  it('is open with its counted notes until a commit or rollback succeeds', () => {
    const trail = cashInTrail([
      at(1, 'cashIn.start.requested'),
      at(2, 'cashIn.start.result', { completion: 'success' }),
      counted,
    ]);
    expect(trail).toEqual({
      startedAt: 1,
      committed: false,
      endInDoubt: false,
      settled: false,
      counted: [{ value: 10_000, level: 'fit' }],
    });
  });

  it('is committed only by a successful cashInEnd result', () => {
    const start = [at(1, 'cashIn.start.requested'), counted, at(4, 'cashIn.end.requested')];
    expect(cashInTrail([...start, at(5, 'cashIn.end.result', { completion: 'success' })])).toMatchObject({
      committed: true,
      settled: true,
      endInDoubt: false,
    });
    expect(cashInTrail([...start, at(5, 'cashIn.end.result', { completion: 'hardwareError' })])).toMatchObject({
      committed: false,
      settled: false,
      endInDoubt: false,
    });
    // The order went out and its answer died with the process.
    expect(cashInTrail(start)).toMatchObject({ committed: false, settled: false, endInDoubt: true });
  });

  it('is settled by a successful rollback', () => {
    const trail = cashInTrail([
      at(1, 'cashIn.start.requested'),
      counted,
      at(4, 'cashIn.rollback.requested'),
      at(5, 'cashIn.rollback.result', { completion: 'success' }),
    ]);
    expect(trail).toMatchObject({ committed: false, settled: true });
  });

  it('reads only the newest cash-in of the session', () => {
    const trail = cashInTrail([
      at(1, 'cashIn.start.requested'),
      at(2, 'cashIn.end.result', { completion: 'success' }),
      at(7, 'cashIn.start.requested'),
    ]);
    expect(trail).toMatchObject({ startedAt: 7, committed: false, counted: [] });
  });
});

describe('start-up recovery of a deposit on an acceptor that can retract', () => {
  const UNITS: readonly MemoryCashUnitSetup[] = [
    { id: 'cashin', position: 'ci', configuration: { types: ['cashIn'], capacity: 500 } },
    bin('retract', ['retract']),
  ];
  const DEPOSIT_0200: IsoMessage = {
    mti: '0200',
    fields: new Map([
      [3, '210000'],
      [4, '000000020000'],
    ]),
  };
  const WITHDRAWAL_0200: IsoMessage = {
    mti: '0200',
    fields: new Map([
      [3, '011000'],
      [4, '000000050000'],
    ]),
  };

  async function kiosk(options: { readonly retractAreas?: readonly RetractArea[] } = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'cash-in-recovery-'));
    const clock = new ManualClock();
    const journal = Journal.open(join(dir, 'journal.sqlite'), clock);
    const db = openLinkDb(join(dir, 'link.sqlite'));
    // The PIN pad's storage key, played by an AES key the test holds.
    const kek = aes(Buffer.alloc(32, 7));
    const storage = new StorageCipher(db, {
      wrap: async (key) => kek.encrypt(key),
      unwrap: async (wrapped) => kek.decrypt(wrapped),
    });
    const reversals = new ReversalQueue(db, clock, storage);
    const acceptor = new MemoryCashAcceptor({
      storage: await dispenserStorage(clock, UNITS),
      noteTypes: [{ currency: 'CNY', value: 10000 }],
      ...options,
    });
    await acceptor.open(signal);
    /** Whether deposits are held closed, as the runtime's device manager would be told. */
    const held: boolean[] = [];
    const recover = () =>
      recoverAfterRestart({
        acceptor,
        reversals,
        journal,
        clock,
        takeNotesMs: 30_000,
        holdDeposits: (on) => held.push(on),
        signal,
      });
    const events = () =>
      (journal.db.prepare(`SELECT payload FROM journal ORDER BY seq`).all() as { payload: string }[]).map(
        (r) => (JSON.parse(r.payload) as { event: string }).event,
      );
    const cleanUp = () => {
      journal.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    };
    return { clock, journal, reversals, acceptor, held, recover, events, cleanUp };
  }

  /** What the dead process did: opened a cash-in, counted two notes into escrow, asked the host. */
  async function depositInEscrow(k: Awaited<ReturnType<typeof kiosk>>) {
    k.journal.append({ kind: 'transaction', payload: { event: 'cashIn.start.requested' } });
    await k.acceptor.cashInStart({}, signal);
    const off = k.acceptor.on('insertItems', () =>
      k.acceptor.insertItems([
        { currency: 'CNY', value: 10000, classification: 'fit', serialNumber: 'DP00000001' },
        { currency: 'CNY', value: 10000, classification: 'counterfeit', serialNumber: 'CF00000001' },
      ]),
    );
    await k.acceptor.cashIn(undefined, signal);
    off();
    k.journal.append({ kind: 'transaction', payload: { event: 'cashIn.counted', notes: [] } });
    k.clock.advance(10);
    return k.reversals.prepare(DEPOSIT_0200);
  }

  it('rolls the escrow back, retracts it when nobody takes it, keeps the counterfeit, and owes the reversal', async () => {
    const k = await kiosk();
    try {
      const withdrawal = await k.reversals.prepare(WITHDRAWAL_0200);
      k.reversals.cancel(withdrawal);
      const deposit = await depositInEscrow(k);
      const report = k.recover();
      await vi.waitFor(() => expect(k.events()).toContain('cashIn.rollback.result'));
      expect(k.acceptor.itemsAt('outDefault').map((n) => n.serialNumber)).toEqual(['DP00000001']);
      k.clock.advance(30_000);
      expect(await report).toMatchObject({ cashIn: 'retracted', owed: 1, completed: 0 });
      expect(k.acceptor.itemsAt('outDefault')).toEqual([]);
      expect(k.reversals.get(deposit)).toMatchObject({ state: 'owed', reason: 'interrupted' });
      expect(k.events()).toEqual(
        expect.arrayContaining(['cashIn.retract.requested', 'cashIn.retract.result', 'reversal.owed']),
      );
    } finally {
      k.cleanUp();
    }
  });

  it('leaves notes the customer takes with the customer', async () => {
    const k = await kiosk();
    try {
      await depositInEscrow(k);
      const report = k.recover();
      await vi.waitFor(() => expect(k.acceptor.itemsAt('outDefault')).toHaveLength(1));
      expect(k.acceptor.takeItems('outDefault').map((n) => n.serialNumber)).toEqual(['DP00000001']);
      expect(await report).toMatchObject({ cashIn: 'returned', owed: 1 });
      expect(k.events()).toContain('cashIn.returnedTaken');
    } finally {
      k.cleanUp();
    }
  });

  it('completes the reversal of a deposit committed before the restart, and touches no note', async () => {
    const k = await kiosk();
    try {
      const deposit = await depositInEscrow(k);
      k.journal.append({ kind: 'transaction', payload: { event: 'cashIn.end.requested' } });
      await k.acceptor.cashInEnd(undefined, signal);
      k.journal.append({ kind: 'device.result', payload: { event: 'cashIn.end.result', completion: 'success' } });
      expect(await k.recover()).toMatchObject({ cashIn: 'committed', completed: 1, owed: 0 });
      expect(k.reversals.get(deposit)?.state).toBe('canceled');
      expect(k.events()).not.toContain('cashIn.reset.requested');
    } finally {
      k.cleanUp();
    }
  });

  it('leaves notes an acceptor cannot retract at the output, and journals when their time is up and when they are taken', async () => {
    const k = await kiosk({ retractAreas: [] });
    try {
      await depositInEscrow(k);
      expect(await k.recover()).toMatchObject({ cashIn: 'returned', acceptorOutput: 'waiting', owed: 1 });
      expect(k.acceptor.itemsAt('outDefault').map((n) => n.serialNumber)).toEqual(['DP00000001']);
      expect(k.events()).toContain('cashIn.output.found');
      k.clock.advance(30_000);
      expect(k.events()).toContain('cashIn.output.notTaken');
      expect(k.events()).not.toContain('cashIn.returnedTaken');
      k.acceptor.takeItems('outDefault');
      expect(k.events().at(-1)).toBe('cashIn.returnedTaken');
    } finally {
      k.cleanUp();
    }
  });

  it('keeps deposits closed while the acceptor is offline, and hands the escrow back once it returns', async () => {
    const k = await kiosk();
    try {
      const deposit = await depositInEscrow(k);
      k.acceptor.setDeviceState('offline');
      expect(await k.recover()).toMatchObject({ cashIn: 'pending', owed: 1 });
      expect(k.reversals.get(deposit)?.state).toBe('owed');
      expect(k.held).toEqual([true]);
      expect(k.events()).toContain('cashIn.escrow.unresolved');
      expect(k.acceptor.itemsAt('outDefault')).toEqual([]);

      // A second restart while the acceptor is still away finds the same escrow in doubt.
      expect(await k.recover()).toMatchObject({ cashIn: 'pending', owed: 0 });

      k.acceptor.setDeviceState('online');
      await vi.waitFor(() => expect(k.acceptor.itemsAt('outDefault')).toHaveLength(1));
      expect(k.held.at(-1)).toBe(true);
      k.acceptor.takeItems('outDefault');
      await vi.waitFor(() => expect(k.held.at(-1)).toBe(false));
      expect(k.events()).toEqual(
        expect.arrayContaining(['cashIn.rollback.result', 'cashIn.returnedTaken', 'cashIn.escrow.resolved']),
      );
      // Resolved: the next restart has nothing left to settle.
      expect(await k.recover()).toMatchObject({ cashIn: 'none', owed: 0 });
    } finally {
      k.cleanUp();
    }
  });

  it('owes the reversal of a commit whose outcome died with the process, and says so', async () => {
    const k = await kiosk();
    try {
      const deposit = await depositInEscrow(k);
      k.journal.append({ kind: 'transaction', payload: { event: 'cashIn.end.requested' } });
      const report = k.recover();
      await vi.waitFor(() => expect(k.acceptor.itemsAt('outDefault')).toHaveLength(1));
      k.acceptor.takeItems('outDefault');
      expect(await report).toMatchObject({ owed: 1 });
      expect(k.reversals.get(deposit)?.state).toBe('owed');
      expect(k.events()).toContain('cashIn.inDoubt');
    } finally {
      k.cleanUp();
    }
  });
});
