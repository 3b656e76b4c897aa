import { f56ErrorText } from '../../protocols/f56/errors.js';
import type { DispenserFault } from '../dispenser-core-adapter.js';

const FAULTS: Readonly<Record<number, DispenserFault>> = {
  0x01: { kind: 'pickFailure' },
  0x11: { kind: 'jam', where: 'at the feed sensor' },
  0x12: { kind: 'jam', where: 'at the diverter' },
  0x13: { kind: 'jam', where: 'at the eject sensor' },
  0x05: { kind: 'itemsLeft' },
  0x0c: { kind: 'tooManyNotes' },
  0x0d: { kind: 'tooManyRejects' },
  0x24: { kind: 'cassetteMissing' },
  0x50: { kind: 'token', code: 'noCommandNonce' },
  0x51: { kind: 'token', code: 'invalidTokenFormat' },
  0x52: { kind: 'token', code: 'invalidTokenNonce' },
  0x53: { kind: 'token', code: 'invalidTokenHMAC' },
  0x54: { kind: 'token', code: 'invalidToken' },
  0x55: { kind: 'noItems' },
  0x56: { kind: 'rejectBinFull' },
  0x57: { kind: 'token', code: 'invalidTokenKeyNoValue' },
};

export function f56Fault(code: number | undefined): DispenserFault | undefined {
  if (code === undefined) return undefined;
  if (code === 0x30 || code === 0x31) return { kind: 'invalidCommand', description: f56ErrorText(code) };
  return FAULTS[code] ?? { kind: 'hardware', description: f56ErrorText(code) };
}
