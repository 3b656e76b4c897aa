import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../drivers/common/clock.js';
import { createMemoryPipe } from '../../drivers/common/memory-transport.js';
import type { ByteTransport } from '../../drivers/common/transport.js';
import { EscPosPrinter } from '../../drivers/printer/escpos/escpos-printer.js';
import { SerialTransport } from '../../drivers/transports/serial-transport.js';
import { EscPosPrinterSimulator } from '../../simulators/printer-escpos/escpos-printer-sim.js';
import { launchSimulators } from './support/serial-rigs.js';

const signal = (): AbortSignal => new AbortController().signal;

interface Rig {
  printer: EscPosPrinter;
  simulator: EscPosPrinterSimulator;
}

/** The same behaviour suite runs over a real pty pair and over memory. */
function printerContract(name: string, makeRig: () => Promise<Rig>): void {
  describe(`ESC/POS printer over ${name}`, () => {
    let rig: Rig;
    beforeAll(async () => {
      rig = await makeRig();
      const opened = await rig.printer.open(signal());
      expect(opened.completionCode).toBe('success');
    });
    afterAll(async () => {
      await rig.printer.close();
    });

    it('reports online with paper after opening', () => {
      expect(rig.printer.getStatus()).toMatchObject({ device: 'online', paper: 'full', coverOpen: false });
    });

    it('prints raw bytes and cuts', async () => {
      rig.simulator.control('clearOutput', {});
      const text = new TextEncoder().encode('RECEIPT\n');
      expect((await rig.printer.printRaw({ data: text }, signal())).completionCode).toBe('success');
      expect((await rig.printer.controlMedia({ cut: true }, signal())).completionCode).toBe('success');
      await rig.printer.refreshStatus(undefined, signal());
      expect([...rig.simulator.output()]).toEqual([...text, 0x1d, 0x56, 0x01]);
      expect(rig.simulator.snapshot().cuts).toBeGreaterThanOrEqual(1);
    });

    it('sees paper near-end and paper-out, and refuses to print without paper', async () => {
      rig.simulator.control('paper', { level: 'nearEnd' });
      await rig.printer.refreshStatus(undefined, signal());
      expect(rig.printer.getStatus().paper).toBe('low');
      rig.simulator.control('paper', { level: 'out' });
      await rig.printer.refreshStatus(undefined, signal());
      expect(rig.printer.getStatus().paper).toBe('out');
      const printed = await rig.printer.printRaw({ data: Uint8Array.of(0x41) }, signal());
      expect(printed).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'paperOut' });
      rig.simulator.control('paper', { level: 'full' });
      await rig.printer.refreshStatus(undefined, signal());
      expect(rig.printer.getStatus().paper).toBe('full');
    });

    it('reports the cover open and refuses to print', async () => {
      rig.simulator.control('cover', { open: true });
      await rig.printer.refreshStatus(undefined, signal());
      expect(rig.printer.getStatus().coverOpen).toBe(true);
      const printed = await rig.printer.printRaw({ data: Uint8Array.of(0x41) }, signal());
      expect(printed.completionCode).toBe('deviceNotReady');
      rig.simulator.control('cover', { open: false });
      await rig.printer.refreshStatus(undefined, signal());
      expect(rig.printer.getStatus().coverOpen).toBe(false);
    });

    it('goes offline when the printer stops answering and recovers when it answers again', async () => {
      const changes: unknown[] = [];
      const off = rig.printer.on('statusChanged', (c) => changes.push(c));
      rig.simulator.control('power', { on: false });
      const first = await rig.printer.refreshStatus(undefined, signal());
      expect(first.completionCode).toBe('timeOut');
      await rig.printer.refreshStatus(undefined, signal());
      expect(rig.printer.getStatus().device).toBe('offline');
      rig.simulator.control('power', { on: true });
      await rig.printer.refreshStatus(undefined, signal());
      expect(rig.printer.getStatus().device).toBe('online');
      expect(changes).toContainEqual(expect.objectContaining({ device: 'offline' }));
      expect(changes).toContainEqual(expect.objectContaining({ device: 'online' }));
      off();
    });

    it('drops line noise that is not a status answer', async () => {
      // Unasked bytes, some shaped like a "paper out" answer, must not be taken as status.
      rig.simulator.control('noise', { bytes: [0xff, 0x00, 0x7e, 0x72, 0x12, 0x81] });
      await new Promise((r) => setTimeout(r, 20));
      const result = await rig.printer.refreshStatus(undefined, signal());
      expect(result.completionCode).toBe('success');
      expect(rig.printer.getStatus()).toMatchObject({ device: 'online', paper: 'full' });
    });
  });
}

const driverOptions = { pollIntervalMs: 60_000, answerTimeoutMs: 200 };

printerContract('an in-memory pipe', async () => {
  const pipe = createMemoryPipe('printer');
  const simulator = new EscPosPrinterSimulator();
  await simulator.attach(pipe.device);
  return { printer: new EscPosPrinter({ id: 'receiptPrinter', clock: systemClock }, pipe.host, driverOptions), simulator };
});

describe('over a socat pty pair', () => {
  const launched = launchSimulators('kiosk-pty-', { pcsc: false });

  printerContract('a real pty', () => {
    const path = launched.sims.ports.get('receiptPrinter');
    if (!path) throw new Error('no printer pty');
    const transport: ByteTransport = new SerialTransport({ path, baudRate: 115200 });
    const simulator = launched.sims.simulators.get('receiptPrinter') as EscPosPrinterSimulator;
    return Promise.resolve({
      printer: new EscPosPrinter({ id: 'receiptPrinter', clock: systemClock }, transport, driverOptions),
      simulator,
    });
  });

  it('answers the developer API', async () => {
    const res = await fetch(`${launched.sims.controlUrl}/sim/receiptPrinter/paper`, {
      method: 'POST',
      body: JSON.stringify({ level: 'nearEnd' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ paper: 'nearEnd' });
    const bad = await fetch(`${launched.sims.controlUrl}/sim/receiptPrinter/paper`, {
      method: 'POST',
      body: JSON.stringify({ level: 'lots' }),
    });
    expect(bad.status).toBe(400);
  });
});
