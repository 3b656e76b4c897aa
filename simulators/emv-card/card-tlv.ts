import { Buffer } from 'node:buffer';

/*
 * The card's own BER-TLV writer and DOL walker, written apart from the
 * kiosk's codec (drivers/protocols/emv) so that a bug there is not mirrored
 * here. Only what a card needs: write tag ‖ length ‖ value, and step through
 * its own DOLs (tag + one length byte each).
 */

export type TlvNode = readonly [tag: string, value: Uint8Array | readonly TlvNode[]];

function lengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.of(n);
  if (n <= 0xff) return Buffer.of(0x81, n);
  return Buffer.of(0x82, n >> 8, n & 0xff);
}

export function tlv(...nodes: readonly TlvNode[]): Buffer {
  return Buffer.concat(
    nodes.map(([tag, value]) => {
      const body = value instanceof Uint8Array ? Buffer.from(value) : tlv(...value);
      return Buffer.concat([Buffer.from(tag, 'hex'), lengthBytes(body.length), body]);
    }),
  );
}

export interface DolItem {
  readonly tag: string;
  readonly length: number;
}

/** Tags of a DOL; a first byte with low bits 11111 continues while bit 8 is set. */
export function walkDol(dol: Buffer): DolItem[] {
  const items: DolItem[] = [];
  let i = 0;
  while (i < dol.length) {
    const start = i;
    if (((dol[i++] as number) & 0x1f) === 0x1f) while (((dol[i++] as number) & 0x80) !== 0);
    items.push({ tag: dol.subarray(start, i).toString('hex').toUpperCase(), length: dol[i++] as number });
  }
  return items;
}

/** True when every entry of the DOL has a complete tag and a length byte. */
export function isWellFormedDol(hex: string): boolean {
  const dol = Buffer.from(hex, 'hex');
  let i = 0;
  while (i < dol.length) {
    if (((dol[i++] as number) & 0x1f) === 0x1f) {
      while (i < dol.length && ((dol[i] as number) & 0x80) !== 0) i++;
      i++;
    }
    if (i >= dol.length) return false;
    i++;
  }
  return true;
}

/** Total data length a DOL asks for. */
export const dolSize = (dol: Buffer): number => walkDol(dol).reduce((n, d) => n + d.length, 0);

/** The slice of DOL data that belongs to `tag`, if the DOL names it. */
export function dolValue(dol: Buffer, data: Buffer, tag: string): Buffer | undefined {
  let offset = 0;
  for (const item of walkDol(dol)) {
    if (item.tag === tag) return data.subarray(offset, offset + item.length);
    offset += item.length;
  }
  return undefined;
}
