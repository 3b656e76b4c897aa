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
  }
}
