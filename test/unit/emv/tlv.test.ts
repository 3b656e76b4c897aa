import * as asn1js from 'asn1js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../drivers/protocols/emv/hex.js';
import { collectPrimitives, decodeTlv, encodeLength, encodeTlv, findTlv, TlvError, type Tlv, type TlvInput } from '../../../drivers/protocols/emv/tlv.js';
import { DE55, DE55_FIELDS, hex } from '../../fixtures/emv/atm-withdrawal.js';

describe('BER-TLV against golden bytes (host-crypto.md §1.6 DE55)', () => {
  it('decodes all 19 tags with their values, in order', () => {
    const tlvs = decodeTlv(DE55);
    expect(tlvs.map((t) => t.tag)).toEqual(DE55_FIELDS.map(([tag]) => tag));
    for (const [tag, encoded] of DE55_FIELDS) {
      // The value is whatever follows the tag and the one-byte length in the transcription.
      expect(toHex(findTlv(tlvs, tag)?.value ?? new Uint8Array())).toBe(encoded.slice(tag.length + 2));
    }
  });

  it('encodes the same 19 values to exactly the reference bytes', () => {
    const items = DE55_FIELDS.map(([tag, encoded]) => ({ tag, value: fromHex(encoded.slice(tag.length + 2)) }));
    expect(toHex(encodeTlv(items))).toBe(toHex(DE55));
  });

  it('agrees with an independent BER decoder (asn1js) on the DE55', () => {
    expect(viaAsn1js(DE55)).toEqual(flatten(decodeTlv(DE55)));
  });
});

describe('BER-TLV forms (hand-transcribed examples)', () => {
  // FCI of a SELECT Visa answer: 6F { 84 AID, A5 { 50 "VISA", 87 01, 9F38 PDOL } }
  const FCI =
    '6F1D' + //                       FCI template, 29 bytes
    '8407A0000000031010' + //         DF name (7)
    'A512' + //                       FCI proprietary template, 18 bytes
    '500456495341' + //               label "VISA"
    '870101' + //                     priority 1
    '9F38069F1A029F3501'; //          PDOL (6 bytes): 9F1A 02, 9F35 01

  it('decodes nested templates and finds tags at any depth', () => {
    const tlvs = decodeTlv(hex(FCI));
    expect(tlvs).toHaveLength(1);
    expect(tlvs[0]?.children?.map((c) => c.tag)).toEqual(['84', 'A5']);
    expect(toHex(findTlv(tlvs, '9F38')?.value ?? new Uint8Array())).toBe('9F1A029F3501');
    expect(new TextDecoder().decode(findTlv(tlvs, '50')?.value)).toBe('VISA');
    expect(toHex(encodeTlv([{ tag: '6F', children: [
      { tag: '84', value: hex('A0000000031010') },
      { tag: 'A5', children: [{ tag: '50', value: hex('56495341') }, { tag: '87', value: hex('01') }, { tag: '9F38', value: hex('9F1A029F3501') }] },
    ] }]))).toBe(FCI);
  });

  it('uses the minimal length form: 7F, 81 80, 81 FF, 82 0100', () => {
    expect(toHex(encodeLength(127))).toBe('7F');
    expect(toHex(encodeLength(128))).toBe('8180');
    expect(toHex(encodeLength(255))).toBe('81FF');
    expect(toHex(encodeLength(256))).toBe('820100');
    const cert = new Uint8Array(176).fill(0xab); // an issuer PK certificate (90) of 1408 bits
    const encoded = encodeTlv([{ tag: '90', value: cert }]);
    expect(toHex(encoded.subarray(0, 3))).toBe('9081B0');
    expect(decodeTlv(encoded)[0]?.value).toEqual(cert);
    expect(decodeTlv(hex('9F4682010001' + '00'.repeat(256)))[0]?.value).toHaveLength(256);
  });

  it('reads three-byte tags (DF8101) and the BF0C template', () => {
    const tlvs = decodeTlv(hex('BF0C06' + 'DF81010101' + '00'));
    expect(tlvs[0]?.tag).toBe('BF0C');
    expect(tlvs[0]?.children?.[0]).toMatchObject({ tag: 'DF8101' });
  });

  it('skips 00 and FF padding between objects of a record', () => {
    const tlvs = decodeTlv(hex('7009' + '00' + '5A0462123412' + 'FF' + '00'));
    expect(collectPrimitives(tlvs).get('5A')).toEqual(hex('62123412'));
  });

  it.each([
    ['9F', 'truncatedTag'],
    ['9F2608AABB', 'truncatedValue'],
    ['9F26', 'truncatedLength'],
    ['9F2682', 'truncatedLength'],
    ['7080', 'indefiniteLength'],
    ['708500000000010000', 'lengthTooLong'],
    ['9F8181818101' + '00', 'tagTooLong'],
  ])('rejects %s with %s', (input, code) => {
    expect(() => decodeTlv(hex(input))).toThrowError(expect.objectContaining({ name: 'TlvError', code }) as Error);
  });

  it('refuses nesting deeper than its bound instead of exhausting the stack', () => {
    let bytes = hex('5A00');
    for (let i = 0; i < 20; i++) bytes = Uint8Array.from([0x70, bytes.length, ...bytes]).slice(0, 2 + bytes.length);
    expect(() => decodeTlv(bytes)).toThrowError(expect.objectContaining({ code: 'tooDeep' }) as Error);
  });

  it('refuses malformed tags on encode', () => {
    for (const tag of ['', '9F', '5A00', 'XYZ', 'FF01', '00']) {
      expect(() => encodeTlv([{ tag, value: new Uint8Array(1) }])).toThrowError(TlvError);
    }
    expect(() => encodeTlv([{ tag: '5A', children: [] }])).toThrowError(TlvError);
  });
});

/** Arbitrary well-formed tags: 1-byte (low bits not 11111), 2- and 3-byte; `constructed` picks bit 6. */
const tagArb = (constructed: boolean, minClass = 0): fc.Arbitrary<string> =>
  fc
    .tuple(fc.integer({ min: minClass, max: 3 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 0x7f }), fc.integer({ min: 0x80, max: 0xff }))
    .map(([cls, low, extra, last, mid]) => {
      const first = (cls << 6) | (constructed ? 0x20 : 0);
      if (extra === 0) return toHex(Uint8Array.of(first | low));
      return toHex(Uint8Array.of(first | 0x1f, ...(extra === 2 ? [mid] : []), last));
    })
    .filter((tag) => !tag.startsWith('FF')); // FF is padding in EMV, never a tag's first byte

/** Trees of data objects; `minClass` 1 keeps out universal tags, which asn1js interprets (BOOLEAN, INTEGER…). */
const treeOf = (minClass: number): fc.Arbitrary<TlvInput[]> =>
  fc.letrec<{ list: TlvInput[]; node: TlvInput }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ tag: tagArb(false, minClass), value: fc.uint8Array({ maxLength: 300 }) }),
      fc.record({ tag: tagArb(true, minClass), children: tie('list') }),
    ),
    list: fc.array(tie('node'), { maxLength: 4 }),
  })).list;
const treeArb = treeOf(0);

function toInput(tlvs: readonly Tlv[]): TlvInput[] {
  return tlvs.map((t) => (t.children ? { tag: t.tag, children: toInput(t.children) } : { tag: t.tag, value: t.value }));
}

function flatten(tlvs: readonly Tlv[]): string[] {
  return tlvs.flatMap((t) => [`${t.tag}:${t.children ? '' : toHex(t.value)}`, ...(t.children ? flatten(t.children) : [])]);
}

/** The same flattened view, built by asn1js from class, constructed bit and tag number. */
function viaAsn1js(bytes: Uint8Array): string[] {
  const out: string[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const { offset: used, result } = asn1js.fromBER(bytes.slice(offset));
    if (used === -1) throw new Error(`asn1js: ${result.error}`);
    out.push(...describeAsn1(result));
    offset += used;
  }
  return out;
}

function describeAsn1(element: asn1js.AsnType): string[] {
  // The tag as the bytes asn1js consumed for it (EMV's 9F02 is not minimal BER, so no re-encoding).
  const raw = new Uint8Array(element.valueBeforeDecodeView);
  const tagHex = toHex(raw.subarray(0, element.idBlock.blockLength));
  if (!element.idBlock.isConstructed) {
    return [`${tagHex}:${toHex(new Uint8Array((element.valueBlock as unknown as { valueHexView: Uint8Array }).valueHexView))}`];
  }
  const children = (element.valueBlock as unknown as { value: asn1js.AsnType[] }).value;
  return [`${tagHex}:`, ...children.flatMap(describeAsn1)];
}

describe('BER-TLV properties (fast-check)', () => {
  it('decode(encode(tree)) gives the tree back', () => {
    fc.assert(
      fc.property(treeArb, (tree) => {
        expect(toInput(decodeTlv(encodeTlv(tree)))).toEqual(tree);
      }),
      { numRuns: 300 },
    );
  });

  it('asn1js reads our encoding of arbitrary trees the same way we do', () => {
    const nonEmpty = treeOf(1).filter((t) => t.length > 0);
    fc.assert(
      fc.property(nonEmpty, (tree) => {
        const bytes = encodeTlv(tree);
        expect(viaAsn1js(bytes)).toEqual(flatten(decodeTlv(bytes)));
      }),
      { numRuns: 200 },
    );
  });

  const onlyTlvErrors = (bytes: Uint8Array): void => {
    try {
      decodeTlv(bytes);
    } catch (err) {
      expect(err).toBeInstanceOf(TlvError);
    }
  };

  it('random bytes either decode or raise TlvError, quickly', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), onlyTlvErrors), { numRuns: 2000 });
  });

  it('truncated and corrupted encodings either decode or raise TlvError', () => {
    fc.assert(
      fc.property(treeArb, fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }), (tree, cut, at, byte) => {
        const bytes = encodeTlv(tree);
        onlyTlvErrors(bytes.slice(0, bytes.length === 0 ? 0 : cut % bytes.length));
        const corrupted = bytes.slice();
        if (corrupted.length > 0) corrupted[at % corrupted.length] = byte;
        onlyTlvErrors(corrupted);
      }),
      { numRuns: 500 },
    );
  });

  it('a hostile length (4 GB claimed) fails at once instead of allocating', () => {
    expect(() => decodeTlv(hex('5A84FFFFFFFF00'))).toThrowError(expect.objectContaining({ code: 'truncatedValue' }) as Error);
  });
});
