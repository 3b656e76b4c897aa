import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../drivers/common/clock.js';
import { MemoryPrinter, type MemoryPrinterOptions } from '../../../../drivers/printer/memory.js';

const signal = new AbortController().signal;
const bytes = (s: string) => new TextEncoder().encode(s);

async function openPrinter(options: Partial<MemoryPrinterOptions> = {}) {
  const printer = new MemoryPrinter({ id: 'receiptPrinter', clock: new ManualClock(), ...options });
  await printer.open(signal);
  return printer;
}

async function printAndPresent(printer: MemoryPrinter, text: string) {
  expect((await printer.printRaw({ data: bytes(text) }, signal)).completionCode).toBe('success');
  expect((await printer.controlMedia({ cut: true, move: 'eject' }, signal)).completionCode).toBe('success');
}

describe('MemoryPrinter', () => {
  let printer: MemoryPrinter;
  beforeEach(async () => {
    printer = await openPrinter();
  });

  it('collects printed bytes into a ticket at the cut and presents it until taken', async () => {
    const events: string[] = [];
    printer.on('mediaPresented', () => events.push('presented'));
    printer.on('mediaTaken', () => events.push('taken'));
    await printer.printRaw({ data: bytes('AB') }, signal);
    await printer.printRaw({ data: bytes('C') }, signal);
    await printer.controlMedia({ cut: true, move: 'eject' }, signal);
    expect(printer.getStatus().media).toBe('present');
    expect(printer.takeTicket()).toEqual(bytes('ABC'));
    expect(printer.getStatus().media).toBe('notPresent');
    expect(events).toEqual(['presented', 'taken']);
    expect(printer.takeTicket()).toBeUndefined();
  });

  it('refuses to print past a ticket waiting in the presenter', async () => {
    await printAndPresent(printer, 'one');
    expect(await printer.printRaw({ data: bytes('two') }, signal)).toMatchObject({
      completionCode: 'commandErrorCode',
      errorCode: 'mediaPresent',
    });
  });

  it('retracts an untaken ticket into the bin until it is full', async () => {
    printer = await openPrinter({ retractCapacity: 1 });
    await printAndPresent(printer, 'one');
    expect((await printer.controlMedia({ cut: false, move: 'retract' }, signal)).completionCode).toBe('success');
    expect(printer.getStatus()).toMatchObject({ media: 'retracted', retractCount: 1 });
    await printAndPresent(printer, 'two');
    expect(await printer.controlMedia({ cut: false, move: 'retract' }, signal)).toMatchObject({
      errorCode: 'retractBinFull',
    });
    expect(printer.getStatus().media).toBe('present');
  });

  it('answers sequenceError for eject or retract with nothing to move', async () => {
    expect((await printer.controlMedia({ cut: false, move: 'eject' }, signal)).completionCode).toBe('sequenceError');
    expect((await printer.controlMedia({ cut: false, move: 'retract' }, signal)).completionCode).toBe('sequenceError');
  });

  it('reports an auto-retract by the presenter', async () => {
    await printAndPresent(printer, 'one');
    const counts: number[] = [];
    printer.on('mediaAutoRetracted', (e) => counts.push(e.retractCount));
    expect(printer.autoRetract()).toBe(true);
    expect(counts).toEqual([1]);
    expect(printer.takeTicket()).toBeUndefined();
  });

  it('fails with paperOut and paperJammed, and announces paper thresholds', async () => {
    const thresholds: string[] = [];
    printer.on('paperThreshold', (e) => thresholds.push(e.paper));
    printer.setPaper('low');
    expect((await printer.printRaw({ data: bytes('x') }, signal)).completionCode).toBe('success');
    printer.setPaper('out');
    expect(await printer.printRaw({ data: bytes('x') }, signal)).toMatchObject({ errorCode: 'paperOut' });
    printer.setPaper('jammed');
    expect(await printer.printRaw({ data: bytes('x') }, signal)).toMatchObject({ errorCode: 'paperJammed' });
    expect(await printer.controlMedia({ cut: true }, signal)).toMatchObject({ errorCode: 'mediaJammed' });
    expect(thresholds).toEqual(['low', 'out']);
  });

  it('is not ready while the cover is open', async () => {
    printer.setCoverOpen(true);
    expect((await printer.printRaw({ data: bytes('x') }, signal)).completionCode).toBe('deviceNotReady');
    const refreshed = await printer.refreshStatus(undefined, signal);
    expect(refreshed).toMatchObject({ completionCode: 'success', payload: { coverOpen: true } });
  });

  it('rejects more than 64 KiB per call', async () => {
    const result = await printer.printRaw({ data: new Uint8Array(64 * 1024 + 1) }, signal);
    expect(result.completionCode).toBe('invalidData');
  });

  it('refuses retract without a retract bin', async () => {
    printer = await openPrinter({ capabilities: { retractBin: false } });
    await printAndPresent(printer, 'one');
    expect((await printer.controlMedia({ cut: false, move: 'retract' }, signal)).completionCode).toBe('unsupportedData');
  });
});
