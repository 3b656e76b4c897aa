import { describe, expect, it } from 'vitest';
import { computeAvailability, type DeviceHealth } from '../../../state-machines/kiosk/availability.js';

const dev = (id: string, deviceClass: DeviceHealth['deviceClass'], state: DeviceHealth['state'] = 'online', extra: Partial<DeviceHealth> = {}): DeviceHealth => ({
  id,
  deviceClass,
  state,
  critical: false,
  ...extra,
});

const fullAtm = [
  dev('cardReader', 'cardReader'),
  dev('pinPad', 'pinPad'),
  dev('dispenser', 'cashDispenser'),
  dev('acceptor', 'cashAcceptor'),
  dev('receiptPrinter', 'printer'),
];

describe('service availability', () => {
  it('offers everything when all devices and the host are up', () => {
    expect(computeAvailability({ devices: fullAtm, hostUp: true, safetyStops: [] })).toEqual({
      inService: true,
      withdrawal: true,
      deposit: true,
      transfer: true,
      balance: true,
      receipts: true,
      reasons: [],
    });
  });

  it('falls back to deposit only when the cassettes are empty', () => {
    const devices = fullAtm.map((d) => (d.deviceClass === 'cashDispenser' ? { ...d, limits: ['noNotes' as const] } : d));
    const a = computeAvailability({ devices, hostUp: true, safetyStops: [] });
    expect(a).toMatchObject({ inService: true, withdrawal: false, deposit: true });
  });

  it('offers no deposit while a crash left the escrow in doubt or left notes at the acceptor output', () => {
    for (const limit of ['escrowInDoubt', 'notesLeftAtOutput'] as const) {
      const devices = fullAtm.map((d) => (d.deviceClass === 'cashAcceptor' ? { ...d, limits: [limit] } : d));
      const a = computeAvailability({ devices, hostUp: true, safetyStops: [] });
      expect(a).toMatchObject({ inService: true, withdrawal: true, deposit: false });
    }
  });

  it('drops receipts when the printer is out of paper, but keeps the kiosk in service', () => {
    const devices = fullAtm.map((d) => (d.deviceClass === 'printer' ? { ...d, limits: ['paperOut' as const] } : d));
    expect(computeAvailability({ devices, hostUp: true, safetyStops: [] })).toMatchObject({ inService: true, receipts: false, withdrawal: true });
  });

  it('goes out of service when the host is down, a safety stop is set, or a critical device fails', () => {
    expect(computeAvailability({ devices: fullAtm, hostUp: false, safetyStops: [] })).toMatchObject({ inService: false, withdrawal: false, reasons: ['reason.hostDown'] });
    expect(computeAvailability({ devices: fullAtm, hostUp: true, safetyStops: ['safeDoorOpen'] })).toMatchObject({ inService: false, reasons: ['reason.safety.safeDoorOpen'] });
    const devices = [...fullAtm.slice(1), dev('cardReader', 'cardReader', 'hardwareError', { critical: true })];
    expect(computeAvailability({ devices, hostUp: true, safetyStops: [] })).toMatchObject({ inService: false, reasons: ['reason.deviceDown.cardReader'] });
  });

  it('needs the host for card services but not for receipts when no host is configured', () => {
    const a = computeAvailability({ devices: fullAtm, hostUp: null, safetyStops: [] });
    expect(a).toMatchObject({ inService: true, withdrawal: false, transfer: false, receipts: true });
  });
});
