import { lcdmErrorText } from '../../protocols/lcdm/errors.js';
import type { DispenserFault } from '../dispenser-core-adapter.js';

const JAMS: Readonly<Record<number, string>> = {
  0x02: 'between CHK and DVT',
  0x03: 'between DVT and EJT',
  0x04: 'between EJT and EXIT',
};

const FAULTS: Readonly<Record<number, DispenserFault>> = {
  0x01: { kind: 'pickFailure' },
  0x05: { kind: 'itemsLeft' },
  0x0b: { kind: 'itemsLeft' },
  0x0c: { kind: 'tooManyNotes' },
  0x0d: { kind: 'tooManyRejects' },
  0x24: { kind: 'cassetteMissing' },
  0x25: { kind: 'pickFailure' },
  0x50: { kind: 'token', code: 'noCommandNonce' },
  0x51: { kind: 'token', code: 'invalidTokenFormat' },
  0x52: { kind: 'token', code: 'invalidTokenNonce' },
  0x53: { kind: 'token', code: 'invalidTokenHMAC' },
  0x54: { kind: 'token', code: 'invalidToken' },
  0x55: { kind: 'noItems' },
  0x56: { kind: 'rejectBinFull' },
  0x57: { kind: 'token', code: 'invalidTokenKeyNoValue' },
};

/** An LCDM-4000 ERR code (without the 0x20 offset) as a model-independent fault; undefined = no error. */
export function lcdmFault(code: number): DispenserFault | undefined {
  if (code === 0) return undefined;
  const jam = JAMS[code];
  if (jam !== undefined) return { kind: 'jam', where: jam };
  if (code === 0x30 || code === 0x31) return { kind: 'invalidCommand', description: lcdmErrorText(code) };
  return FAULTS[code] ?? { kind: 'hardware', description: lcdmErrorText(code) };
}
