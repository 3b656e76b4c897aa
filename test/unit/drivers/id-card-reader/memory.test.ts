import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../drivers/common/clock.js';
import type { ResidentIdentity } from '../../../../drivers/id-card-reader/contract.js';
import { MemoryIdCardReader } from '../../../../drivers/id-card-reader/memory.js';

const signal = new AbortController().signal;
const IDENTITY: ResidentIdentity = {
  name: '张三',
  sex: 'male',
  nationCode: '01',
  birthDate: '1990-01-01',
  address: '北京市东城区某某路1号',
  idNumber: '11010119900101123X',
  issuingAuthority: '北京市公安局东城分局',
  validFrom: '2020-01-01',
  validUntil: 'longTerm',
  photo: new Uint8Array(1024).fill(7),
};

/** Starts a read and resolves once the reader polls for a card. */
async function startRead(reader: MemoryIdCardReader, s = signal) {
  const polling = new Promise<void>((resolve) => reader.on('insertCard', () => resolve()));
  const result = reader.readCard(undefined, s);
  await polling;
  return { result };
}

describe('MemoryIdCardReader', () => {
  let reader: MemoryIdCardReader;
  beforeEach(async () => {
    reader = new MemoryIdCardReader({ id: 'idCardReader', clock: new ManualClock() });
    await reader.open(signal);
  });

  it('waits for a card and returns its identity', async () => {
    const { result } = await startRead(reader);
    expect(reader.placeCard(IDENTITY)).toBe(true);
    expect(await result).toEqual({ completionCode: 'success', payload: IDENTITY });
    expect(reader.getStatus().media).toBe('present');
  });

  it('reads a card already on the pad without prompting', async () => {
    reader.placeCard(IDENTITY);
    let prompted = false;
    reader.on('insertCard', () => (prompted = true));
    expect((await reader.readCard(undefined, signal)).completionCode).toBe('success');
    expect(prompted).toBe(false);
  });

  it('reports the card lifted off', async () => {
    reader.placeCard(IDENTITY);
    let removed = 0;
    reader.on('mediaRemoved', () => removed++);
    expect(reader.removeCard()).toBe(true);
    expect(reader.removeCard()).toBe(false);
    expect(removed).toBe(1);
    expect(reader.getStatus().media).toBe('notPresent');
  });

  it('fails with noCard when the card is lifted before it is read', async () => {
    const { result } = await startRead(reader);
    reader.placeCard(IDENTITY);
    reader.removeCard();
    expect(await result).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'noCard' });
  });

  it('fails with samError while the SAM is down', async () => {
    reader.setSam('error');
    reader.placeCard(IDENTITY);
    expect(await reader.readCard(undefined, signal)).toMatchObject({
      completionCode: 'commandErrorCode',
      errorCode: 'samError',
    });
    reader.setSam('ok');
    expect((await reader.readCard(undefined, signal)).completionCode).toBe('success');
  });

  it('passes injected read faults through', async () => {
    reader.placeCard(IDENTITY);
    reader.injectFault('readCard', { errorCode: 'readFailed' });
    expect(await reader.readCard(undefined, signal)).toMatchObject({ errorCode: 'readFailed' });
  });

  it('completes canceled when the wait is aborted', async () => {
    const controller = new AbortController();
    const { result } = await startRead(reader, controller.signal);
    controller.abort();
    expect((await result).completionCode).toBe('canceled');
  });
});
