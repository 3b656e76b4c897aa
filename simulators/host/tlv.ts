/**
 * Just enough BER-TLV for DE55 on the issuer's side: one level, one- or two-byte tags, short and
 * long-form lengths. Hex in, tag map out; null for anything malformed.
 */
import { Buffer } from 'node:buffer';

export function parseTlv(hex: string): Map<string, string> | null {
  const bytes = Buffer.from(hex, 'hex');
  const tags = new Map<string, string>();
  let at = 0;
  while (at < bytes.length) {
    const first = bytes[at]!;
    const tagLength = (first & 0x1f) === 0x1f ? 2 : 1;
    if (at + tagLength >= bytes.length) return null;
    const tag = bytes
      .subarray(at, at + tagLength)
      .toString('hex')
      .toUpperCase();
    at += tagLength;
    let length = bytes[at++]!;
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count === 0 || count > 2 || at + count > bytes.length) return null;
      length = bytes.subarray(at, at + count).reduce((n, b) => (n << 8) | b, 0);
      at += count;
    }
    if (at + length > bytes.length) return null;
    tags.set(
      tag,
      bytes
        .subarray(at, at + length)
        .toString('hex')
        .toUpperCase(),
    );
    at += length;
  }
  return tags;
}

/** One short-form TLV item as hex. */
export function tlv(tag: string, valueHex: string): string {
  return tag + (valueHex.length / 2).toString(16).padStart(2, '0').toUpperCase() + valueHex;
}
