import type { DispenserFault } from './dispenser-core-adapter.js';

/**
 * The error codes both dispenser models number alike, as faults: the LCDM-4000
 * ERR numbering, which our F56 unit follows where the meaning is the same
 * (protocols.md "Gaps"), and 0x50… our token, presenter and reject-bin
 * extensions. A model adds its own codes (jams, LCDM-only causes).
 */
export const SHARED_FAULTS: Readonly<Record<number, DispenserFault>> = {
  0x01: { kind: 'pickFailure' },
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

/**
 * A device error code as a fault: abnormal command or parameter (0x30, 0x31)
 * is ours to fix, a code outside `faults` a hardware fault described by the
 * protocol's `text`.
 */
export function modelFault(
  code: number,
  faults: Readonly<Record<number, DispenserFault>>,
  text: (code: number) => string,
): DispenserFault {
  if (code === 0x30 || code === 0x31) return { kind: 'invalidCommand', description: text(code) };
  return faults[code] ?? { kind: 'hardware', description: text(code) };
}
