import { DeviceError } from '../common/completion.js';
import type { CashUnitChange, StorageErrorCode } from './contract.js';

export function storageRefuse(errorCode: StorageErrorCode, description: string): never {
  throw new DeviceError<StorageErrorCode>('commandErrorCode', description, errorCode);
}

/**
 * The counts a SetStorage request sets on a device that counts its units in
 * software (only `initial` can change), by unit id. Every change is checked
 * before any is made: an unknown unit or a bad count throws, so nothing changes.
 */
export function countsToSet(
  request: Readonly<Record<string, CashUnitChange>>,
  has: (unitId: string) => boolean,
): Record<string, number> {
  const initial: Record<string, number> = {};
  for (const [unitId, change] of Object.entries(request)) {
    if (!has(unitId)) storageRefuse('invalidUnit', `no cash unit ${unitId}`);
    if (change.configuration !== undefined || change.status !== undefined) {
      throw new DeviceError('unsupportedData', 'only the count of a unit can be set on this device');
    }
    if (change.initial === undefined) continue;
    if (!Number.isSafeInteger(change.initial) || change.initial < 0) {
      throw new DeviceError('invalidData', `bad count for ${unitId}`);
    }
    initial[unitId] = change.initial;
  }
  return initial;
}
