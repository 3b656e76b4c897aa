import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BarcodeScannerEvents } from '../../drivers/barcode-scanner/contract.js';
import { HidPosScanner } from '../../drivers/barcode-scanner/hid-pos/hid-pos-scanner.js';
import { systemClock } from '../../drivers/common/clock.js';
import { createMemoryReportPipe } from '../../drivers/common/memory-transport.js';
import type { ReportTransport } from '../../drivers/common/transport.js';
import { ReportStreamTransport } from '../../drivers/transports/report-stream-transport.js';
import { TcpTransport } from '../../drivers/transports/tcp-transport.js';
import { HidScannerSimulator } from '../../simulators/barcode-scanner-hid/hid-scanner-sim.js';
import { serveScannerOverTcp } from '../../simulators/barcode-scanner-hid/tcp-bridge.js';

/*
 * One behaviour suite for the HID POS scanner driver against the report-level
 * simulator, run over the in-memory report pipe and over the loopback TCP bridge
 * the launcher serves (the runtime's path to the simulated scanner).
 */

interface Link {
  readonly host: ReportTransport;
  close(): Promise<void>;
}

const LINKS: [string, (sim: HidScannerSimulator) => Promise<Link>][] = [
  [
    'memory report pipe',
    async (sim) => {
      const { host, device } = createMemoryReportPipe('scanner');
      await sim.attach(device);
      return { host, close: () => sim.detach() };
    },
  ],
  [
    'TCP bridge',
    async (sim) => {
      const bridge = await serveScannerOverTcp(sim, 0);
      return {
        host: new ReportStreamTransport(new TcpTransport({ host: '127.0.0.1', port: bridge.port })),
        close: () => bridge.close(),
      };
    },
  ],
];

async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const signal = (): AbortSignal => new AbortController().signal;

describe.each(LINKS)('HID POS scanner driver over the %s', (_name, connect) => {
  let sim: HidScannerSimulator;
  let link: Link;
  let scanner: HidPosScanner;
  let scanned: BarcodeScannerEvents['scanned'][];

  beforeEach(async () => {
    sim = new HidScannerSimulator('scanner');
    link = await connect(sim);
    scanner = new HidPosScanner({ id: 'scanner', clock: systemClock }, link.host);
    scanned = [];
    scanner.on('scanned', (e) => scanned.push(e));
    expect((await scanner.open(signal())).completionCode).toBe('success');
    await until(() => sim.snapshot().connected);
  });

  afterEach(async () => {
    await scanner.close();
    await link.close();
  });

  const scan = (data: string, symbology = 'qr'): { delivered: boolean } =>
    sim.control('scan', { data, symbology }) as { delivered: boolean };
  const texts = (): string[] => scanned.map((e) => new TextDecoder().decode(e.data));

  it('is online with scanning off after open, and the scanner reads nothing', async () => {
    expect(scanner.getStatus()).toMatchObject({ device: 'online', scanning: false });
    expect(scan('APPT-000001').delivered).toBe(false);
    expect(sim.snapshot().codesIgnored).toBe(1);
  });

  it('switches the scanner on and reports a QR code once, as sent', async () => {
    expect((await scanner.enable({}, signal())).completionCode).toBe('success');
    await until(() => sim.snapshot().scanning);
    expect(scanner.getStatus().scanning).toBe(true);
    expect(scan('APPT-000001').delivered).toBe(true);
    await until(() => scanned.length === 1);
    expect(scanned[0]?.symbology).toBe('qr');
    expect(texts()).toEqual(['APPT-000001']);
  });

  it('joins a long code sent in several reports', async () => {
    await scanner.enable({}, signal());
    await until(() => sim.snapshot().scanning);
    const long = 'Q'.repeat(150) + '-END';
    scan(long, 'pdf417');
    await until(() => scanned.length === 1);
    expect(scanned[0]?.symbology).toBe('pdf417');
    expect(texts()).toEqual([long]);
  });

  it('drops symbologies it was not enabled for', async () => {
    await scanner.enable({ symbologies: ['qr'] }, signal());
    await until(() => sim.snapshot().scanning);
    scan('4006381333931', 'ean13');
    scan('APPT-000002', 'qr');
    await until(() => scanned.length === 1);
    expect(texts()).toEqual(['APPT-000002']);
  });

  it('refuses a symbology it does not support', async () => {
    const result = await scanner.enable({ symbologies: ['unknown'] }, signal());
    expect(result).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'symbologyNotSupported' });
    expect(sim.snapshot().scanning).toBe(false);
  });

  it('switches the scanner off again', async () => {
    await scanner.enable({}, signal());
    await until(() => sim.snapshot().scanning);
    expect((await scanner.disable(undefined, signal())).completionCode).toBe('success');
    await until(() => !sim.snapshot().scanning);
    expect(scan('APPT-000003').delivered).toBe(false);
    expect(scanned).toEqual([]);
  });

  it('survives random input reports and still reads the next code', async () => {
    await scanner.enable({}, signal());
    await until(() => sim.snapshot().scanning);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 80 }), (reportId, bytes) => {
        sim.control('noise', { reportId, bytes });
      }),
      { numRuns: 50 },
    );
    // A dangling "more follows" from the noise may swallow one code; the scanner reads the one after.
    scan('APPT-000004');
    scan('APPT-000005');
    await until(() => texts().includes('APPT-000005'));
    expect(scanner.getStatus().device).toBe('online');
  });
});

describe('HID POS scanner driver over the TCP bridge, cable pulled', () => {
  it('goes offline when the link drops', async () => {
    const sim = new HidScannerSimulator('scanner');
    const bridge = await serveScannerOverTcp(sim, 0);
    const scanner = new HidPosScanner(
      { id: 'scanner', clock: systemClock },
      new ReportStreamTransport(new TcpTransport({ host: '127.0.0.1', port: bridge.port })),
    );
    expect((await scanner.open(signal())).completionCode).toBe('success');
    await until(() => sim.snapshot().connected);
    await sim.detach();
    await until(() => scanner.getStatus().device === 'offline');
    expect((await scanner.enable({}, signal())).completionCode).toBe('deviceNotReady');
    await scanner.close();
    await bridge.close();
  });
});
