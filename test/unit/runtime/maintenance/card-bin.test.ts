import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../drivers/common/clock.js';
import { MemoryCardReader } from '../../../../drivers/card-reader/memory.js';
import type { JournalEntry } from '../../../../main/journal/record.js';
import { cardBinOf, emptyCardBin } from '../../../../main/runtime/maintenance/card-bin.js';

const signal = new AbortController().signal;

async function reader(retainCount: number): Promise<MemoryCardReader> {
  const r = new MemoryCardReader({
    id: 'cardReader',
    clock: new ManualClock(),
    retainCount,
    retainThreshold: 40,
    retainCapacity: 50,
  });
  await r.open(signal);
  return r;
}

describe('card bin', () => {
  it('journals how many cards the technician took out, then counts from 0', async () => {
    const r = await reader(7);
    const journal: JournalEntry[] = [];
    const append = (e: JournalEntry) => {
      // The count has not changed yet when the record is written.
      expect(r.getStatus().retainBin.count).toBe(7);
      journal.push(e);
      return undefined as never;
    };
    expect(cardBinOf(r)).toEqual({ count: 7, threshold: 40, capacity: 50 });
    expect(await emptyCardBin(r, 'tech01', { append }, signal)).toEqual({ count: 0, threshold: 40, capacity: 50 });
    expect(journal).toEqual([
      { kind: 'maintenance', payload: { event: 'cardBin.emptied', operatorId: 'tech01', cards: 7 } },
    ]);
  });

  it('keeps the count when the journal refuses the record', async () => {
    const r = await reader(2);
    const broken = {
      append: (): never => {
        throw new Error('journal disk full');
      },
    };
    await expect(emptyCardBin(r, 'tech01', broken, signal)).rejects.toThrow('journal disk full');
    expect(r.getStatus().retainBin.count).toBe(2);
  });

  it('fails without a card reader', async () => {
    await expect(emptyCardBin(undefined, 'tech01', { append: () => undefined as never }, signal)).rejects.toThrow(
      /no card reader/,
    );
  });
});
