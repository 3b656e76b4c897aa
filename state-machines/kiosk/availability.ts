import type { DeviceClass } from '../../drivers/common/device.js';
import { isUsable, type DeviceState } from '../../drivers/common/status.js';

/** What the availability rules need to know about one configured device. */
export interface DeviceHealth {
  readonly id: string;
  readonly deviceClass: DeviceClass;
  readonly state: DeviceState;
  /** A critical device that is not usable takes the whole kiosk out of service. */
  readonly critical: boolean;
  /** Class-specific facts that limit a service (e.g. printer paper out, cassettes empty). */
  readonly limits?: readonly DeviceLimit[];
}

/**
 * A condition that restricts services although the device is online. `escrowInDoubt`: a deposit
 * a crash left in the acceptor's escrow is not settled yet; `notesLeftAtOutput`: notes nobody
 * took before a restart lie in the acceptor's output.
 */
export type DeviceLimit =
  | 'paperOut'
  | 'noNotes'
  | 'cashInFull'
  | 'retainBinFull'
  | 'coverOpen'
  | 'escrowInDoubt'
  | 'notesLeftAtOutput';

export interface AvailabilityInput {
  readonly devices: readonly DeviceHealth[];
  /** null while the kiosk has no host link configured. */
  readonly hostUp: boolean | null;
  /** Safe door open, tamper, operator switch out of run: all take the kiosk down. */
  readonly safetyStops: readonly string[];
}

export interface ServiceAvailability {
  readonly inService: boolean;
  readonly withdrawal: boolean;
  readonly deposit: boolean;
  readonly transfer: boolean;
  readonly balance: boolean;
  readonly receipts: boolean;
  /** Catalogue keys, e.g. "reason.deviceDown.receiptPrinter", "reason.hostDown". */
  readonly reasons: readonly string[];
}

/**
 * Which services the kiosk can offer now. A service needs every device class it
 * uses to be configured, usable and not limited; card services also need the
 * host. Pure, so the same rules run in the runtime and in tests.
 */
export function computeAvailability(input: AvailabilityInput): ServiceAvailability {
  const reasons: string[] = [...input.safetyStops.map((s) => `reason.safety.${s}`)];
  const usable = (cls: DeviceClass, blockedBy: readonly DeviceLimit[] = []): boolean => {
    const devices = input.devices.filter((d) => d.deviceClass === cls);
    return devices.some((d) => isUsable(d.state) && !(d.limits ?? []).some((l) => blockedBy.includes(l)));
  };
  for (const d of input.devices) {
    if (d.critical && !isUsable(d.state)) reasons.push(`reason.deviceDown.${d.id}`);
  }
  if (input.hostUp === false) reasons.push('reason.hostDown');
  const inService = reasons.length === 0;
  const host = input.hostUp === true;
  const identified = usable('cardReader') && usable('pinPad') && host;
  const withdrawal = inService && identified && usable('cashDispenser', ['noNotes']);
  const deposit =
    inService && identified && usable('cashAcceptor', ['cashInFull', 'escrowInDoubt', 'notesLeftAtOutput']);
  const transfer = inService && identified;
  return {
    inService,
    withdrawal,
    deposit,
    transfer,
    balance: transfer,
    receipts: inService && usable('printer', ['paperOut', 'coverOpen']),
    reasons,
  };
}
