import type { DeviceLimit } from '../../state-machines/kiosk/availability.js';
import type { AnyDevice } from './device-models.js';

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
  }
}
