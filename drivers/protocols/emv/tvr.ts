/*
 * Terminal Verification Results (95, 5 bytes) and Transaction Status
 * Information (9B, 2 bytes), EMV Book 3 Annex C5/C6. Each flag is
 * [byte index, bit mask].
 */

export type Flag = readonly [byte: number, mask: number];

export const TVR = {
  odaNotPerformed: [0, 0x80],
  sdaFailed: [0, 0x40],
  iccDataMissing: [0, 0x20],
  differentVersions: [1, 0x80],
  expiredApplication: [1, 0x40],
  notYetEffective: [1, 0x20],
  serviceNotAllowed: [1, 0x10],
  cardholderVerificationFailed: [2, 0x80],
  unrecognisedCvm: [2, 0x40],
  onlinePinEntered: [2, 0x04],
  floorLimitExceeded: [3, 0x80],
  defaultTdolUsed: [4, 0x80],
  issuerAuthenticationFailed: [4, 0x40],
  scriptFailedBeforeFinalAc: [4, 0x20],
  scriptFailedAfterFinalAc: [4, 0x10],
} as const satisfies Record<string, Flag>;

export const TSI = {
  odaPerformed: [0, 0x80],
  cardholderVerificationPerformed: [0, 0x40],
  cardRiskManagementPerformed: [0, 0x20],
  issuerAuthenticationPerformed: [0, 0x10],
  terminalRiskManagementPerformed: [0, 0x08],
  scriptProcessingPerformed: [0, 0x04],
} as const satisfies Record<string, Flag>;

/** A growing bit set of the given size. */
export class BitFlags {
  private readonly bytes: Uint8Array;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
  }

  set(flag: Flag): void {
    const [i, mask] = flag;
    this.bytes[i] = (this.bytes[i] as number) | mask;
  }

  has(flag: Flag): boolean {
    return ((this.bytes[flag[0]] as number) & flag[1]) !== 0;
  }

  value(): Uint8Array {
    return this.bytes.slice();
  }
}
