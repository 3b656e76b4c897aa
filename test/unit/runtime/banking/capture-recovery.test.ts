import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../drivers/common/clock.js';
import type { CardMediaState, CardReaderDevice } from '../../../../drivers/card-reader/contract.js';
import { CashLedger } from '../../../../main/cash/cash-ledger.js';
import { Journal } from '../../../../main/journal/journal.js';
import { CAPTURE_WINDOW, reconcileCapture } from '../../../../main/runtime/banking/capture-recovery.js';
import { keepRetainCount } from '../../../../main/runtime/banking/retain-count.js';

const log = pino({ level: 'silent' });

/**
 * A reader whose retain count the kiosk keeps, as the Creator driver: only
 * what the reconciliation and keepRetainCount use.
 */
function reader(media: CardMediaState, count = 0, { hostCounts = true } = {}) {
  const listeners: (() => void)[] = [];
  let status = { media, retainBin: { count, threshold: 40, capacity: 50, state: 'ok' as const } };
  const device = {
    id: 'cardReader',
    getStatus: () => status,
    on: (_event: 'statusChanged', listener: () => void) => {
      listeners.push(listener);
      return () => undefined;
    },
    ...(hostCounts
      ? {
          restoreRetainCount: (n: number) => {
            status = { ...status, retainBin: { ...status.retainBin, count: n } };
            for (const l of listeners) l();
          },
        }
      : {}),
  };
  return device as unknown as CardReaderDevice;
}

let dir: string;
let journal: Journal;
let ledger: CashLedger;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-capture-'));
  journal = Journal.open(join(dir, 'journal.sqlite'), new ManualClock());
  ledger = new CashLedger(join(dir, 'cash.sqlite'), new ManualClock());
});

afterEach(() => {
  journal.close();
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

const note = (event: string, payload: Record<string, unknown>): void => {
  journal.append({ kind: 'recovery', payload: { event, ...payload } });
};
const captureOrdered = (retainCount: number): void => {
  journal.append({ kind: 'transaction', payload: { event: 'card.move.requested', to: 'retain', retainCount } });
};
const reconciled = (): unknown[] =>
  (journal.db.prepare(`SELECT payload FROM journal ORDER BY seq`).all() as { payload: string }[])
    .map((r) => JSON.parse(r.payload) as { event: string })
    .filter((p) => p.event === 'card.capture.reconciled');

/** A start-up as banking does it: the reader restored from the ledger, then recovery's reconciliation. */
function start(media: CardMediaState, configured = 0) {
  const device = reader(media, configured);
  keepRetainCount(ledger, device, log);
  return { device, outcome: reconcileCapture(journal, device, note) };
}

describe('a capture the power cut short, reconciled at start-up', () => {
  it('looks back only CAPTURE_WINDOW records, so start-up never reads the whole journal', () => {
    ledger.setCardCount('cardReader', 3);
    captureOrdered(3);
    journal.appendMany(
      Array.from({ length: CAPTURE_WINDOW }, (_, i) => ({
        kind: 'device.result' as const,
        payload: { event: 'status', i },
      })),
    );
    expect(start('notPresent').outcome).toBe('none');
    expect(ledger.cardCount('cardReader')).toBe(3);
  });

  it('counts a card that went to the bin before its count was stored, once across restarts', () => {
    ledger.setCardCount('cardReader', 3);
    captureOrdered(3);

    const first = start('notPresent');
    expect(first.outcome).toBe('counted');
    expect(first.device.getStatus().retainBin.count).toBe(4);
    expect(ledger.cardCount('cardReader'), 'stored in the ledger').toBe(4);
    expect(reconciled()).toEqual([
      { event: 'card.capture.reconciled', media: 'notPresent', outcome: 'counted', retainCount: 4 },
    ]);

    const second = start('notPresent');
    expect(second.outcome).toBe('none');
    expect(ledger.cardCount('cardReader'), 'a second restart does not count it again').toBe(4);
  });

  it('does not count again when the count was stored before the power went', () => {
    ledger.setCardCount('cardReader', 4);
    captureOrdered(3);
    expect(start('notPresent').outcome).toBe('alreadyCounted');
    expect(ledger.cardCount('cardReader')).toBe(4);
  });

  it('does not count twice when the power went between the count and its reconciliation record', () => {
    ledger.setCardCount('cardReader', 3);
    captureOrdered(3);
    // The first start stored the count, then died before journaling the reconciliation.
    ledger.setCardCount('cardReader', 4);
    expect(start('notPresent').outcome).toBe('alreadyCounted');
    expect(ledger.cardCount('cardReader')).toBe(4);
  });

  it('leaves a card still in the reader to recovery, which captures and counts it', () => {
    ledger.setCardCount('cardReader', 3);
    captureOrdered(3);
    expect(start('present').outcome).toBe('cardInside');
    expect(ledger.cardCount('cardReader')).toBe(3);
    expect(start('notPresent').outcome, 'the order is closed').toBe('none');
  });

  it('waits for a start at which the reader can tell', () => {
    ledger.setCardCount('cardReader', 3);
    captureOrdered(3);
    expect(start('unknown').outcome).toBe('readerUnknown');
    expect(reconciled()).toEqual([]);
    expect(start('notPresent').outcome).toBe('counted');
    expect(ledger.cardCount('cardReader')).toBe(4);
  });

  it('leaves the count to a reader that keeps its own', () => {
    captureOrdered(3);
    const device = reader('notPresent', 4, { hostCounts: false });
    expect(reconcileCapture(journal, device, note)).toBe('readerCounts');
    expect(device.getStatus().retainBin.count).toBe(4);
  });

  it('does nothing after a capture whose result was journaled, or an order to the exit', () => {
    ledger.setCardCount('cardReader', 3);
    captureOrdered(3);
    journal.append({
      kind: 'transaction',
      payload: { event: 'card.move.result', to: 'retain', completion: 'success' },
    });
    journal.append({ kind: 'transaction', payload: { event: 'card.move.requested', to: 'exit' } });
    expect(start('notPresent').outcome).toBe('none');
    expect(ledger.cardCount('cardReader')).toBe(3);
  });

  it('reconciles a capture ordered by an earlier start-up recovery', () => {
    ledger.setCardCount('cardReader', 3);
    note('card.capture.requested', { media: 'present', retainCount: 3 });
    expect(start('notPresent').outcome).toBe('counted');
    expect(ledger.cardCount('cardReader')).toBe(4);
  });
});
