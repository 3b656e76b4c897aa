import { readLength, readTag, isConstructed } from './tlv.js';

/*
 * Data Object Lists (PDOL 9F38, CDOL1 8C, CDOL2 8D): tag + length pairs with no
 * values. The terminal concatenates its data for each entry, fitted to the
 * length the card asked for (EMV Book 3 §5.4).
 */

export interface DolEntry {
  readonly tag: string;
  readonly length: number;
}

/** Numeric (format n) tags: right-justified, padded on the left with zero digits. */
const NUMERIC_TAGS = new Set([
  '9F02', '9F03', '5F2A', '9F1A', '9A', '9C', '9F21', '9F41', '5F24', '5F25', '5F34', '5F28', '9F42', '5F36', '9F15', '9F35', '9F39',
]);
/** Compressed numeric (format cn): left-justified, padded on the right with F nibbles. */
const COMPRESSED_NUMERIC_TAGS = new Set(['5A']);

export function parseDol(bytes: Uint8Array): DolEntry[] {
  const out: DolEntry[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const { tag, next } = readTag(bytes, offset);
    const { length, next: after } = readLength(bytes, next);
    out.push({ tag, length });
    offset = after;
  }
  return out;
}

export function dolLength(entries: readonly DolEntry[]): number {
  return entries.reduce((n, e) => n + e.length, 0);
}

/**
 * Builds the data for a DOL from `lookup`. Unknown tags and constructed tags give
 * zeros; values are fitted per format: n pads/truncates on the left, cn pads
 * with FF on the right, anything else pads with zeros or truncates on the right.
 */
export function buildDolData(entries: readonly DolEntry[], lookup: (tag: string) => Uint8Array | undefined): Uint8Array {
  const out = new Uint8Array(dolLength(entries));
  let offset = 0;
  for (const { tag, length } of entries) {
    const value = isConstructed(tag) ? undefined : lookup(tag);
    if (value) out.set(fit(tag, value, length), offset);
    offset += length;
  }
  return out;
}

function fit(tag: string, value: Uint8Array, length: number): Uint8Array {
  if (value.length === length) return value;
  const out = new Uint8Array(length);
  if (NUMERIC_TAGS.has(tag)) {
    if (value.length > length) return value.slice(value.length - length);
    out.set(value, length - value.length);
    return out;
  }
  if (value.length > length) return value.slice(0, length);
  if (COMPRESSED_NUMERIC_TAGS.has(tag)) out.fill(0xff);
  out.set(value, 0);
  return out;
}
