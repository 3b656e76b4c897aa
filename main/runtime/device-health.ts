import type { DeviceLimit } from '../../state-machines/kiosk/availability.js';
import type { CashUnit } from '../../drivers/storage/contract.js';
import type { AnyDevice, DeviceByClass } from './device-models.js';

/** Whether a dispenser that reports its cash units still has notes in one it can use. */
function hasCash(device: DeviceByClass['cashDispenser']): boolean {
  const units = 'cashUnits' in device && typeof device.cashUnits === 'function' ? (device.cashUnits() as readonly CashUnit[]) : undefined;
  // Without unit counts, `stop` is the only evidence; the reject bin can cause it too, but then nothing pays out either.
  if (!units) return false;
  return units.some((u) => u.configuration.types.includes('cashOut') && u.status === 'ok' && u.count > 0);
}

/** Conditions that limit services although the device is online. */
export function deviceLimits(device: AnyDevice): DeviceLimit[] {
  switch (device.deviceClass) {
    case 'printer': {
      const status = device.getStatus();
      const limits: DeviceLimit[] = [];
      if (status.paper === 'out') limits.push('paperOut');
      if (status.coverOpen) limits.push('coverOpen');
      return limits;
    }
    case 'cardReader':
      // A full retain bin means a card left at the gate could not be captured.
      return device.getStatus().retainBin.state === 'full' ? ['retainBinFull'] : [];
    case 'pinPad':
      // Missing keys are reported by encryptionState; no service limit has a name for them yet.
      return [];
    case 'cashAcceptor': {
      const status = device.getStatus();
      const limits: DeviceLimit[] = [];
      // The module stops with a working reader only when no unit can take a note (cashbox full or out).
      if (status.acceptor === 'stop' && status.banknoteReader === 'ok') limits.push('cashInFull');
      // A deposit would fail with positionNotEmpty until someone takes them.
      if (status.unknownAtOutput) limits.push('notesLeftAtOutput');
      return limits;
    }
    case 'cashDispenser': {
      // Every cassette empty or out: online, but nothing to pay out.
      const status = device.getStatus();
      return status.dispenser === 'stop' && status.device === 'online' && !hasCash(device) ? ['noNotes'] : [];
    }
    case 'auxiliaries':
    case 'lights':
    case 'barcodeScanner':
      // The enclosure stops the whole kiosk (safetyStops), not one service; lights and the scanner limit nothing.
      return [];
  }
}

/**
 * The kiosk-wide stops the enclosure sensors call for (XFS4IoT Auxiliaries
 * §4.8: operator switch out of run, safe door open, tamper), as the keys
 * `computeAvailability` turns into `reason.safety.<key>`. Read from every
 * Auxiliaries device's last known status, so a stop stays set while the board
 * is unreachable; an unreachable board is a critical device's job to report.
 */
export type SafetyStop = 'operatorSwitchNotRun' | 'safeDoorOpen' | 'tamper';

export function safetyStops(devices: readonly AnyDevice[]): SafetyStop[] {
  const stops = new Set<SafetyStop>();
  for (const device of devices) {
    if (device.deviceClass !== 'auxiliaries') continue;
    const s = device.getStatus();
    if (s.operatorSwitch === 'supervisor' || s.operatorSwitch === 'maintenance') stops.add('operatorSwitchNotRun');
    if (s.safeDoor === 'open') stops.add('safeDoorOpen');
    const tampered = [s.safeDoor, s.cabinetDoor, s.vandalShield].includes('tampered');
    if (s.tamperSensor === 'on' || tampered) stops.add('tamper');
  }
  return [...stops];
}
