import { lcdmErrorText } from '../../protocols/lcdm/errors.js';
import type { DispenserFault } from '../dispenser-core-adapter.js';
import { SHARED_FAULTS, modelFault } from '../model-faults.js';

const FAULTS: Readonly<Record<number, DispenserFault>> = {
  ...SHARED_FAULTS,
  0x02: { kind: 'jam', where: 'between CHK and DVT' },
  0x03: { kind: 'jam', where: 'between DVT and EJT' },
  0x04: { kind: 'jam', where: 'between EJT and EXIT' },
  0x0b: { kind: 'itemsLeft' },
  0x25: { kind: 'pickFailure' },
};

/** An LCDM-4000 ERR code (without the 0x20 offset) as a model-independent fault; undefined = no error. */
export function lcdmFault(code: number): DispenserFault | undefined {
  if (code === 0) return undefined;
  return modelFault(code, FAULTS, lcdmErrorText);
}
