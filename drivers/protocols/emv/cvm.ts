/*
 * Cardholder Verification Method list (tag 8E, EMV Book 3 §10.5): amounts X and
 * Y (4 bytes each), then two-byte rules: CVM code (bit 7 = apply the next rule
 * if this one fails, bits 6-1 = method) and a condition code.
 */

export interface CvmRule {
  /** The whole first byte, as it goes into CVM Results (9F34) byte 1. */
  readonly code: number;
  readonly method: number;
  readonly applyNextIfFails: boolean;
  readonly condition: number;
}

export interface CvmList {
  readonly amountX: number;
  readonly amountY: number;
  readonly rules: readonly CvmRule[];
}

export const CVM_METHOD = {
  failCvm: 0x00,
  offlinePlaintextPin: 0x01,
  onlinePin: 0x02,
  signature: 0x1e,
  noCvm: 0x1f,
} as const;

export const CVM_CONDITION = {
  always: 0x00,
  unattendedCash: 0x01,
  notCashOrCashback: 0x02,
  terminalSupports: 0x03,
  manualCash: 0x04,
  cashback: 0x05,
} as const;

export function parseCvmList(bytes: Uint8Array): CvmList {
  if (bytes.length < 8 || bytes.length % 2 !== 0) throw new RangeError(`CVM list of ${bytes.length} bytes is malformed`);
  const u32 = (o: number): number => ((bytes[o] as number) * 2 ** 24) + (((bytes[o + 1] as number) << 16) | ((bytes[o + 2] as number) << 8) | (bytes[o + 3] as number));
  const rules: CvmRule[] = [];
  for (let i = 8; i < bytes.length; i += 2) {
    const code = bytes[i] as number;
    rules.push({ code, method: code & 0x3f, applyNextIfFails: (code & 0x40) !== 0, condition: bytes[i + 1] as number });
  }
  return { amountX: u32(0), amountY: u32(4), rules };
}
