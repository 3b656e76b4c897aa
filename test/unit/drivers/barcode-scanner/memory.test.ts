import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../drivers/common/clock.js';
import { MemoryBarcodeScanner } from '../../../../drivers/barcode-scanner/memory.js';

const signal = new AbortController().signal;

describe('MemoryBarcodeScanner', () => {
  let scanner: MemoryBarcodeScanner;
  let scans: { symbology: string; text: string }[];
  beforeEach(async () => {
    scanner = new MemoryBarcodeScanner({
      id: 'scanner',
      clock: new ManualClock(),
      capabilities: { symbologies: ['qr', 'code128'] },
    });
    await scanner.open(signal);
    scans = [];
    scanner.on('scanned', (e) => scans.push({ symbology: e.symbology, text: new TextDecoder().decode(e.data) }));
  });

  it('drops codes until scanning is enabled', async () => {
    expect(scanner.scan('https://pay.example/qr/1')).toBe(false);
    expect((await scanner.enable({}, signal)).completionCode).toBe('success');
    expect(scanner.getStatus().scanning).toBe(true);
    expect(scanner.scan('https://pay.example/qr/1')).toBe(true);
    expect(scans).toEqual([{ symbology: 'qr', text: 'https://pay.example/qr/1' }]);
  });

  it('reports only the enabled symbologies', async () => {
    await scanner.enable({ symbologies: ['code128'] }, signal);
    expect(scanner.scan('QRDATA', 'qr')).toBe(false);
    expect(scanner.scan(new Uint8Array([0x41, 0x42]), 'code128')).toBe(true);
    expect(scans).toEqual([{ symbology: 'code128', text: 'AB' }]);
  });

  it('stops reporting after disable', async () => {
    await scanner.enable({}, signal);
    await scanner.disable(undefined, signal);
    expect(scanner.getStatus().scanning).toBe(false);
    expect(scanner.scan('x')).toBe(false);
  });

  it('refuses symbologies the scanner cannot read', async () => {
    expect(await scanner.enable({ symbologies: ['pdf417'] }, signal)).toMatchObject({
      completionCode: 'commandErrorCode',
      errorCode: 'symbologyNotSupported',
    });
    expect(scanner.getStatus().scanning).toBe(false);
  });

  it('reports nothing while offline', async () => {
    await scanner.enable({}, signal);
    scanner.setDeviceState('offline');
    expect(scanner.scan('x')).toBe(false);
  });
});
