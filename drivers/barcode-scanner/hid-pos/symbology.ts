import type { Symbology } from '../contract.js';

/** Honeywell code IDs (byte 60 of the scanned-data report) of the symbologies the contract names. */
const BY_CODE_ID: ReadonlyMap<number, Symbology> = new Map([
  [0x73, 'qr'],
  [0x77, 'dataMatrix'],
  [0x72, 'pdf417'],
  [0x7a, 'aztec'],
  [0x6a, 'code128'],
  [0x62, 'code39'],
  [0x64, 'ean13'],
  [0x44, 'ean8'],
  [0x63, 'upcA'],
]);

/** AIM identifiers (ISO/IEC 15424): symbology letter after "]"; used when the code ID is unknown. */
const BY_AIM_LETTER: ReadonlyMap<string, Symbology> = new Map([
  ['Q', 'qr'],
  ['d', 'dataMatrix'],
  ['L', 'pdf417'],
  ['z', 'aztec'],
  ['C', 'code128'],
  ['A', 'code39'],
]);

export function symbologyOf(codeId: number, aim: string): Symbology {
  const byCode = BY_CODE_ID.get(codeId);
  if (byCode !== undefined) return byCode;
  if (aim.startsWith(']')) return BY_AIM_LETTER.get(aim.charAt(1)) ?? 'unknown';
  return 'unknown';
}
