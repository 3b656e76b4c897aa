import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../../drivers/common/clock.js';
import { createMemoryPipe } from '../../drivers/common/memory-transport.js';
import type { ByteTransport } from '../../drivers/common/transport.js';
import type { PrinterEvents } from '../../drivers/printer/contract.js';
import { EscPosPrinter, type EscPosPrinterOptions } from '../../drivers/printer/escpos/escpos-printer.js';
import { composeReceipt } from '../../drivers/protocols/escpos/receipt.js';
import { SerialTransport } from '../../drivers/transports/serial-transport.js';
import { customerReceipt } from '../../main/receipts/customer-receipt.js';
import { gb18030Encoder } from '../../main/receipts/gb18030.js';
import { maskPan } from '../../main/receipts/receipt-format.js';
import { EscPosPrinterSimulator } from '../../simulators/printer-escpos/escpos-printer-sim.js';
import { launchSimulators } from './support/serial-rigs.js';

const signal = (): AbortSignal => new AbortController().signal;

interface Rig {
  printer: EscPosPrinter;
  simulator: EscPosPrinterSimulator;
}

const AUTO_RETRACT_MS = 150;
const driverOptions: EscPosPrinterOptions = {
  model: 'vkp80',
  pollIntervalMs: 60_000,
  answerTimeoutMs: 200,
  presentTimeoutMs: AUTO_RETRACT_MS,
  presenterMoveMs: 300,
  retractBinCapacity: 3,
};

const receipt = composeReceipt(
  customerReceipt(
    {
      type: 'withdrawal',
      card: maskPan('6228480987654321012'),
      amount: 50000,
      currency: 'CNY',
      reference: '600123456789',
      trace: '000321',
      eReceiptUrl: 'https://e.bank.example/r/600123456789',
    },
    { bankName: '自助银行', kioskId: 'ATM-0042', language: 'zh-CN', clock: new ManualClock() },
  ),
  { columns: 42, encodeText: gb18030Encoder },
);

function nextEvent<K extends keyof PrinterEvents>(rig: Rig, type: K, withinMs = 2000): Promise<PrinterEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} within ${withinMs} ms`)), withinMs);
    const off = rig.printer.on(type, (payload) => {
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

async function printAndPresent(rig: Rig): Promise<void> {
  expect((await rig.printer.printRaw({ data: receipt }, signal())).completionCode).toBe('success');
  const presented = nextEvent(rig, 'mediaPresented');
  expect((await rig.printer.controlMedia({ cut: true, move: 'eject' }, signal())).completionCode).toBe('success');
  await presented;
}

/** The VKP80 behaviour suite, run over a real pty pair and over memory. */
function vkp80Contract(name: string, makeRig: () => Promise<Rig>): void {
  describe(`Custom VKP80 over ${name}`, () => {
    let rig: Rig;
    beforeAll(async () => {
      rig = await makeRig();
      expect((await rig.printer.open(signal())).completionCode).toBe('success');
    });
    afterAll(async () => {
      await rig.printer.close();
    });

    it('reports a presenter and a retract bin, online with paper', () => {
      expect(rig.printer.getCapabilities()).toMatchObject({ presenter: true, retractBin: true });
      expect(rig.printer.getStatus()).toMatchObject({
        device: 'online',
        paper: 'full',
        media: 'notPresent',
        coverOpen: false,
      });
    });

    it('prints a Chinese receipt, presents it, and sees the customer take it', async () => {
      rig.simulator.control('clearOutput', {});
      await printAndPresent(rig);
      expect(rig.printer.getStatus().media).toBe('present');
      expect(rig.simulator.snapshot()).toMatchObject({ ticketInPresenter: true, unknownCommands: 0 });
      // The presenter holds one ticket: the next print must wait.
      expect(await rig.printer.printRaw({ data: Uint8Array.of(0x41) }, signal())).toMatchObject({
        completionCode: 'commandErrorCode',
        errorCode: 'mediaPresent',
      });
      const taken = rig.simulator.control('takeTicket', {}) as { ticket: string[] };
      expect(taken.ticket).toContain('[QR https://e.bank.example/r/600123456789]');
      expect(taken.ticket.some((line) => line.includes('自助银行'))).toBe(true);
      const takenEvent = nextEvent(rig, 'mediaTaken');
      await rig.printer.refreshStatus(undefined, signal());
      await takenEvent;
      expect(rig.printer.getStatus().media).toBe('notPresent');
    });

    it('retracts an untaken ticket by itself after the timeout and counts it', async () => {
      const retracted = nextEvent(rig, 'mediaAutoRetracted');
      await printAndPresent(rig);
      expect(await retracted).toEqual({ retractCount: 1 });
      expect(rig.printer.getStatus()).toMatchObject({ media: 'retracted', retractCount: 1 });
      expect(rig.simulator.snapshot()).toMatchObject({ ticketInPresenter: false, retractCount: 1 });
    });

    it('retracts on command, counts, and refuses when the bin is full', async () => {
      for (const count of [2, 3]) {
        await printAndPresent(rig);
        expect((await rig.printer.controlMedia({ cut: false, move: 'retract' }, signal())).completionCode).toBe(
          'success',
        );
        expect(rig.printer.getStatus().retractCount).toBe(count);
      }
      expect(rig.simulator.snapshot().retractCount).toBe(3);
      await printAndPresent(rig);
      expect(await rig.printer.controlMedia({ cut: false, move: 'retract' }, signal())).toMatchObject({
        completionCode: 'commandErrorCode',
        errorCode: 'retractBinFull',
      });
      rig.simulator.control('takeTicket', {});
      await rig.printer.refreshStatus(undefined, signal());
      expect(rig.printer.getStatus().media).toBe('notPresent');
    });

    it('refuses to retract when nothing is presented', async () => {
      expect((await rig.printer.controlMedia({ cut: false, move: 'retract' }, signal())).completionCode).toBe(
        'sequenceError',
      );
    });

    it('sees paper near-end and out, and refuses to print without paper', async () => {
      rig.simulator.control('paper', { level: 'nearEnd' });
      await rig.printer.refreshStatus(undefined, signal());
      expect(rig.printer.getStatus().paper).toBe('low');
      rig.simulator.control('paper', { level: 'out' });
      await rig.printer.refreshStatus(undefined, signal());
      expect(rig.printer.getStatus().paper).toBe('out');
      expect(await rig.printer.printRaw({ data: receipt }, signal())).toMatchObject({ errorCode: 'paperOut' });
      rig.simulator.control('paper', { level: 'full' });
      await rig.printer.refreshStatus(undefined, signal());
      expect(rig.printer.getStatus().paper).toBe('full');
    });

    it('refuses to print with the cover open', async () => {
      rig.simulator.control('cover', { open: true });
      await rig.printer.refreshStatus(undefined, signal());
      expect(rig.printer.getStatus().coverOpen).toBe(true);
      expect((await rig.printer.printRaw({ data: receipt }, signal())).completionCode).toBe('deviceNotReady');
      rig.simulator.control('cover', { open: false });
      await rig.printer.refreshStatus(undefined, signal());
      expect(rig.printer.getStatus().coverOpen).toBe(false);
    });

    it('reports a paper jam and refuses with paperJammed', async () => {
      rig.simulator.control('fault', { kind: 'jam', active: true });
      await rig.printer.refreshStatus(undefined, signal());
      expect(rig.printer.getStatus()).toMatchObject({ paper: 'jammed', device: 'hardwareError' });
      expect(await rig.printer.printRaw({ data: receipt }, signal())).toMatchObject({ errorCode: 'paperJammed' });
      rig.simulator.control('fault', { kind: 'jam', active: false });
      await rig.printer.refreshStatus(undefined, signal());
      expect(rig.printer.getStatus()).toMatchObject({ paper: 'full', device: 'online' });
    });

    it.each([
      ['cutter', 'cutter error'],
      ['headTemperature', 'print head temperature'],
      ['powerSupply', 'power supply'],
      ['memory', 'memory error'],
    ] as const)('reports the %s fault as a hardware error and refuses to print', async (kind, detail) => {
      rig.simulator.control('fault', { kind, active: true });
      await rig.printer.refreshStatus(undefined, signal());
      expect(rig.printer.getStatus()).toMatchObject({ device: 'hardwareError', detail });
      expect((await rig.printer.printRaw({ data: receipt }, signal())).completionCode).toBe('deviceNotReady');
      rig.simulator.control('fault', { kind, active: false });
      await rig.printer.refreshStatus(undefined, signal());
      expect(rig.printer.getStatus().device).toBe('online');
    });

    it('ignores line noise and keeps answering', async () => {
      rig.simulator.control('noise', { bytes: [0x10, 0x0f, 0xff, 0x10, 0x12, 0x7e] });
      await new Promise((r) => setTimeout(r, 20));
      expect((await rig.printer.refreshStatus(undefined, signal())).completionCode).toBe('success');
      expect(rig.printer.getStatus()).toMatchObject({ device: 'online', paper: 'full' });
    });
  });
}

vkp80Contract('an in-memory pipe', async () => {
  const pipe = createMemoryPipe('vkp80');
  const simulator = new EscPosPrinterSimulator('vkp80', { model: 'vkp80' });
  await simulator.attach(pipe.device);
  return { printer: new EscPosPrinter({ id: 'vkp80', clock: systemClock }, pipe.host, driverOptions), simulator };
});

describe('over a socat pty pair', () => {
  const launched = launchSimulators('kiosk-vkp80-', {
    pcsc: false,
    entries: [{ name: 'vkp80', create: () => new EscPosPrinterSimulator('vkp80', { model: 'vkp80' }) }],
  });

  vkp80Contract('a real pty', () => {
    const path = launched.sims.ports.get('vkp80');
    if (!path) throw new Error('no vkp80 pty');
    const transport: ByteTransport = new SerialTransport({ path, baudRate: 115200 });
    return Promise.resolve({
      printer: new EscPosPrinter({ id: 'vkp80', clock: systemClock }, transport, driverOptions),
      simulator: launched.sims.simulators.get('vkp80') as EscPosPrinterSimulator,
    });
  });

  it('offers takeTicket on the developer API, and refuses it with an empty presenter', async () => {
    const res = await fetch(`${launched.sims.controlUrl}/sim/vkp80/takeTicket`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(400);
    const fault = await fetch(`${launched.sims.controlUrl}/sim/vkp80/fault`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'cutter', active: false }),
    });
    expect(fault.status).toBe(200);
  });
});
