/*
 * Application File Locator (tag 94, EMV Book 3 §10.2): four bytes per file —
 * SFI in bits 8-4, first record, last record, records used for ODA.
 */

export interface AflEntry {
  readonly sfi: number;
  readonly first: number;
  readonly last: number;
  readonly odaRecords: number;
}

export class AflError extends Error {
  override readonly name = 'AflError';
}

export function parseAfl(bytes: Uint8Array): AflEntry[] {
  if (bytes.length === 0 || bytes.length % 4 !== 0) throw new AflError(`AFL of ${bytes.length} bytes is not a multiple of 4`);
  const out: AflEntry[] = [];
  for (let i = 0; i < bytes.length; i += 4) {
    const [b0, first, last, odaRecords] = bytes.subarray(i, i + 4) as unknown as [number, number, number, number];
    const sfi = b0 >> 3;
    if (sfi < 1 || sfi > 30 || (b0 & 0x07) !== 0) throw new AflError(`AFL entry ${i / 4} has a bad SFI byte`);
    if (first < 1 || last < first) throw new AflError(`AFL entry ${i / 4} has a bad record range`);
    if (odaRecords > last - first + 1) throw new AflError(`AFL entry ${i / 4} names more ODA records than it has`);
    out.push({ sfi, first, last, odaRecords });
  }
  return out;
}
