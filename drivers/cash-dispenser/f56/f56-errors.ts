import { f56ErrorText } from '../../protocols/f56/errors.js';
import type { DispenserFault } from '../dispenser-core-adapter.js';
import { SHARED_FAULTS, modelFault } from '../model-faults.js';

const FAULTS: Readonly<Record<number, DispenserFault>> = {
  ...SHARED_FAULTS,
  0x11: { kind: 'jam', where: 'at the feed sensor' },
  0x12: { kind: 'jam', where: 'at the diverter' },
  0x13: { kind: 'jam', where: 'at the eject sensor' },
};

export function f56Fault(code: number | undefined): DispenserFault | undefined {
  if (code === undefined) return undefined;
  return modelFault(code, FAULTS, f56ErrorText);
}
