import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../drivers/common/clock.js';
import type { ReadRawDataRequest } from '../../../../drivers/card-reader/contract.js';
import { MemoryCardReader, type TestCard } from '../../../../drivers/card-reader/memory.js';

const signal = new AbortController().signal;
const ATR = new Uint8Array([0x3b, 0x02, 0x14, 0x50]);
const CARD: TestCard = {
  track2: '4761739001010010=22122011143804400000',
  atr: ATR,
  respond: (apdu) => (apdu[1] === 0xa4 ? new Uint8Array([0x6f, 0x00, 0x90, 0x00]) : new Uint8Array([0x6a, 0x82])),
};

async function openReader(options: Partial<ConstructorParameters<typeof MemoryCardReader>[0]> = {}) {
  const reader = new MemoryCardReader({ id: 'cardReader', clock: new ManualClock(), ...options });
  const opened = await reader.open(signal);
  expect(opened.completionCode).toBe('success');
  return reader;
}

/** Starts a read and resolves once the reader waits for a card; `result` is the pending completion. */
async function startRead(reader: MemoryCardReader, request: ReadRawDataRequest = { track2: true, chip: true }, s = signal) {
  const waiting = new Promise<void>((resolve) => {
    const off = reader.on('insertCard', () => {
      off();
      resolve();
    });
  });
  const result = reader.readRawData(request, s);
  await waiting;
  return { result };
}

async function cardInside(reader: MemoryCardReader, card: TestCard = CARD) {
  const { result } = await startRead(reader);
  expect(reader.insertCard(card)).toBe(true);
  expect((await result).completionCode).toBe('success');
}

describe('MemoryCardReader', () => {
  let reader: MemoryCardReader;
  beforeEach(async () => {
    reader = await openReader();
  });

  it('refuses commands until opened', async () => {
    const closed = new MemoryCardReader({ id: 'cr', clock: new ManualClock() });
    expect(closed.getStatus().device).toBe('offline');
    expect((await closed.move({ to: 'exit' }, signal)).completionCode).toBe('deviceNotReady');
  });

  it('waits for a card, then returns the requested tracks and the ATR', async () => {
    const seen: string[] = [];
    reader.on('mediaInserted', () => seen.push('mediaInserted'));
    const { result: read } = await startRead(reader, { track1: true, track2: true, chip: true });
    expect(reader.getStatus().media).toBe('notPresent');
    expect(reader.insertCard(CARD)).toBe(true);
    const result = await read;
    expect(seen).toEqual(['mediaInserted']);
    if (result.completionCode !== 'success') throw new Error(result.errorDescription);
    expect(new TextDecoder().decode(result.payload.track2?.data)).toBe(CARD.track2);
    expect(result.payload.track1).toEqual({ status: 'dataMissing', data: new Uint8Array(0) });
    expect(result.payload.track3).toBeUndefined();
    expect(result.payload.chip).toEqual({ status: 'ok', data: ATR });
    expect(reader.getStatus()).toMatchObject({ media: 'present', chipPower: 'online' });
  });

  it('keeps the shutter closed when no read is waiting', () => {
    expect(reader.insertCard(CARD)).toBe(false);
    expect(reader.getStatus().media).toBe('notPresent');
  });

  it('completes canceled when the wait is aborted, and closes the shutter', async () => {
    const controller = new AbortController();
    const { result: read } = await startRead(reader, { track2: true, chip: false }, controller.signal);
    controller.abort();
    expect((await read).completionCode).toBe('canceled');
    expect(reader.insertCard(CARD)).toBe(false);
  });

  it('returns an unreadable card to the gate with invalidMedia', async () => {
    const events: string[] = [];
    reader.on('invalidMedia', () => events.push('invalidMedia'));
    reader.on('mediaRemoved', () => events.push('mediaRemoved'));
    const { result: read } = await startRead(reader);
    reader.insertCard({ defect: 'invalidMedia' });
    const result = await read;
    expect(result).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'invalidMedia' });
    expect(reader.getStatus().media).toBe('entering');
    expect(reader.takeCard()).toBe(true);
    expect(events).toEqual(['invalidMedia', 'mediaRemoved']);
    expect(reader.getStatus().media).toBe('notPresent');
  });

  it('reports cardTooLong for an oversized card', async () => {
    const { result: read } = await startRead(reader);
    reader.insertCard({ defect: 'cardTooLong' });
    expect(await read).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'cardTooLong' });
  });

  it('fails move to exit with noMedia when there is no card', async () => {
    expect(await reader.move({ to: 'exit' }, signal)).toMatchObject({
      completionCode: 'commandErrorCode',
      errorCode: 'noMedia',
    });
  });

  it('ejects to the gate and reports mediaRemoved when the card is taken', async () => {
    await cardInside(reader);
    const changes: unknown[] = [];
    reader.on('statusChanged', (c) => changes.push(c));
    let removed = 0;
    reader.on('mediaRemoved', () => removed++);
    expect((await reader.move({ to: 'exit' }, signal)).completionCode).toBe('success');
    expect(reader.getStatus()).toMatchObject({ media: 'entering', chipPower: 'noCard' });
    expect(removed).toBe(0);
    expect(reader.takeCard()).toBe(true);
    expect(removed).toBe(1);
    expect(changes).toEqual([{ media: 'entering', chipPower: 'noCard' }, { media: 'notPresent' }]);
    expect(reader.takeCard()).toBe(false);
  });

  it('checks `from` against where the card is', async () => {
    await cardInside(reader);
    expect(await reader.move({ from: 'exit', to: 'retain' }, signal)).toMatchObject({ errorCode: 'noMedia' });
    expect(reader.getStatus().retainBin.count).toBe(0);
  });

  it('pulls a card back from the gate into the transport', async () => {
    await cardInside(reader);
    await reader.move({ to: 'exit' }, signal);
    expect((await reader.move({ from: 'exit', to: 'transport' }, signal)).completionCode).toBe('success');
    expect(reader.getStatus().media).toBe('present');
    expect(reader.takeCard()).toBe(false);
  });

  it('retains a card left at the gate, counting against threshold and capacity', async () => {
    reader = await openReader({ retainThreshold: 1, retainCapacity: 2 });
    const retained: number[] = [];
    reader.on('mediaRetained', (e) => retained.push(e.retainCount));

    await cardInside(reader);
    await reader.move({ to: 'exit' }, signal);
    expect((await reader.move({ from: 'exit', to: 'retain' }, signal)).completionCode).toBe('success');
    expect(reader.getStatus().retainBin).toMatchObject({ count: 1, state: 'high' });
    expect(reader.getStatus().media).toBe('notPresent');

    await cardInside(reader);
    expect((await reader.reset({ to: 'retain' }, signal)).completionCode).toBe('success');
    expect(reader.getStatus().retainBin).toMatchObject({ count: 2, state: 'full' });
    expect(retained).toEqual([1, 2]);

    await cardInside(reader);
    expect(await reader.move({ to: 'retain' }, signal)).toMatchObject({ errorCode: 'full' });
    expect(await reader.reset({ to: 'retain' }, signal)).toMatchObject({ errorCode: 'retainBinFull' });
    expect(reader.getStatus().media).toBe('present');
  });

  it('powers the chip and exchanges APDUs', async () => {
    await cardInside(reader, { ...CARD });
    await reader.chipPower({ action: 'off' }, signal);
    expect(reader.getStatus().chipPower).toBe('poweredOff');
    const select = new Uint8Array([0x00, 0xa4, 0x04, 0x00, 0x00]);
    expect((await reader.chipIO({ data: select }, signal)).completionCode).toBe('sequenceError');

    const power = await reader.chipPower({ action: 'cold' }, signal);
    expect(power).toEqual({ completionCode: 'success', payload: { atr: ATR } });
    expect(await reader.chipIO({ data: select }, signal)).toEqual({
      completionCode: 'success',
      payload: { data: new Uint8Array([0x6f, 0x00, 0x90, 0x00]) },
    });
    expect(await reader.chipIO({ protocol: 'chipT0', data: select }, signal)).toMatchObject({
      errorCode: 'protocolNotSupported',
    });
    expect(await reader.chipIO({ data: new Uint8Array([0x00, 0xa4]) }, signal)).toMatchObject({
      errorCode: 'invalidData',
    });
  });

  it('fails chipPower with atrNotObtained for a card without a working chip', async () => {
    await cardInside(reader, { track2: CARD.track2 });
    expect(await reader.chipPower({ action: 'cold' }, signal)).toMatchObject({ errorCode: 'atrNotObtained' });
    expect(reader.getStatus().chipPower).toBe('poweredOff');
  });

  it('fails chip commands with noMedia when the card is at the gate', async () => {
    await cardInside(reader);
    await reader.move({ to: 'exit' }, signal);
    expect(await reader.chipPower({ action: 'warm' }, signal)).toMatchObject({ errorCode: 'noMedia' });
  });

  it('reports a jam until the card is cleared', async () => {
    await cardInside(reader);
    expect(reader.jamCard()).toBe(true);
    expect(reader.getStatus().media).toBe('jammed');
    expect(await reader.reset({ to: 'exit' }, signal)).toMatchObject({ errorCode: 'mediaJam' });
    expect(await reader.readRawData({ track2: true }, signal)).toMatchObject({ errorCode: 'mediaJam' });
    reader.clearJam();
    expect(reader.getStatus().media).toBe('notPresent');
  });

  it('announces a capture the device made by itself', async () => {
    await cardInside(reader);
    await reader.move({ to: 'exit' }, signal);
    const actions: unknown[] = [];
    reader.on('cardAction', (e) => actions.push(e));
    expect(reader.deviceRetain()).toBe(true);
    expect(actions).toEqual([{ from: 'exit', to: 'retain' }]);
    expect(reader.getStatus().retainBin.count).toBe(1);
    expect(reader.deviceRetain()).toBe(false);
  });

  it('fails with an injected fault once, without waiting for a card', async () => {
    reader.injectFault('readRawData', { errorCode: 'cardCollision' });
    let prompted = false;
    reader.on('insertCard', () => (prompted = true));
    expect(await reader.readRawData({ track2: true }, signal)).toMatchObject({
      completionCode: 'commandErrorCode',
      errorCode: 'cardCollision',
    });
    expect(prompted).toBe(false);
    const { result: read } = await startRead(reader);
    reader.insertCard(CARD);
    expect((await read).completionCode).toBe('success');
  });

  it('ends a pending read with deviceNotReady on close', async () => {
    const { result: read } = await startRead(reader);
    await reader.close();
    expect((await read).completionCode).toBe('deviceNotReady');
    expect(reader.getStatus().device).toBe('offline');
  });

  it('answers hardwareError while the device reports it', async () => {
    reader.setDeviceState('hardwareError');
    expect((await reader.reset({ to: 'currentPosition' }, signal)).completionCode).toBe('hardwareError');
  });
});
