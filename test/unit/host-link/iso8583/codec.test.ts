import { createCipheriv, createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ASCII_PROFILE,
  BINARY_PROFILE,
  IsoFormatError,
  binaryPrefixer,
  compileProfile,
  decode,
  encode,
  frame,
  macFieldFor,
  macInput,
  withMac,
  type FieldValue,
  type IsoFormatErrorCode,
  type IsoMessage,
  type Profile,
  type ProfileName,
} from '../../../../main/host-link/iso8583/index.js';
import {
  SIGN_ON_0800_BINARY,
  SIGN_ON_0800_FIELDS,
  WITHDRAWAL_0200_BINARY,
  WITHDRAWAL_0200_BINARY_FIELDS,
} from '../../../fixtures/iso8583/binary-profile.js';
import {
  WITHDRAWAL_0200,
  WITHDRAWAL_0200_FIELDS,
  WITHDRAWAL_0200_FRAMED,
  WITHDRAWAL_0200_MAK,
  WITHDRAWAL_0200_MTI,
} from '../../../fixtures/iso8583/withdrawal-0200.js';

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const msg = (mti: string, entries: [number, FieldValue][]): IsoMessage => ({ mti, fields: new Map(entries) });

/** mqtt-packet's testParseGenerate: the same fixture checked in both directions and through a round trip. */
function testParseGenerate(name: string, message: IsoMessage, bytes: Uint8Array, profile: ProfileName | Profile): void {
  describe(name, () => {
    it('parse: decodes the fixture to the expected fields', () => {
      expect(decode(bytes, profile)).toEqual(message);
    });
    it('generate: encodes the fields to exactly the fixture bytes', () => {
      expect(encode(message, profile)).toEqual(bytes);
    });
    it('mirror: encode then decode gives the message back', () => {
      expect(decode(encode(message, profile), profile)).toEqual(message);
    });
  });
}

function expectIsoError(run: () => unknown, code: IsoFormatErrorCode, field?: number): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(IsoFormatError);
    expect((error as IsoFormatError).code).toBe(code);
    expect((error as IsoFormatError).field).toBe(field);
    return;
  }
  expect.fail(`expected IsoFormatError ${code}`);
}

/** ISO 9797-1 algorithm 3, padding 1, from node:crypto primitives (single DES as EDE with one key). */
function retailMac(key: Uint8Array, data: Uint8Array): Uint8Array {
  const k1 = Buffer.from(key.subarray(0, 8));
  const k2 = Buffer.from(key.subarray(8, 16));
  const padded = Buffer.alloc(Math.ceil(data.length / 8) * 8);
  padded.set(data);
  const run = (cipher: ReturnType<typeof createCipheriv> | ReturnType<typeof createDecipheriv>, input: Buffer) => {
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(input), cipher.final()]);
  };
  const chain = run(createCipheriv('des-ede3-cbc', Buffer.concat([k1, k1, k1]), Buffer.alloc(8)), padded).subarray(-8);
  const middle = run(createDecipheriv('des-ede3', Buffer.concat([k2, k2, k2]), null), chain);
  return new Uint8Array(run(createCipheriv('des-ede3', Buffer.concat([k1, k1, k1]), null), middle));
}

describe('ISO 8583 codec', () => {
  testParseGenerate(
    'worked 0200 withdrawal, host-crypto.md §1.6 (ascii profile)',
    { mti: WITHDRAWAL_0200_MTI, fields: new Map(WITHDRAWAL_0200_FIELDS) },
    WITHDRAWAL_0200,
    'ascii',
  );
  testParseGenerate('hand-built 0200 (binary profile)', msg('0200', [...WITHDRAWAL_0200_BINARY_FIELDS]), WITHDRAWAL_0200_BINARY, 'binary');
  testParseGenerate('hand-built 0800 sign-on with secondary bitmap (binary profile)', msg('0800', [...SIGN_ON_0800_FIELDS]), SIGN_ON_0800_BINARY, 'binary');

  it('frames the worked message with the 02 23 header of the reference', () => {
    expect(frame(WITHDRAWAL_0200)).toEqual(WITHDRAWAL_0200_FRAMED);
  });

  describe('MAC placement', () => {
    it('macInput is the exact MAB of the reference: its retail MAC under the MAK is the DE64 on the wire', () => {
      const mab = macInput(WITHDRAWAL_0200, 'ascii');
      expect(mab).toEqual(WITHDRAWAL_0200.subarray(0, WITHDRAWAL_0200.length - 16));
      expect(retailMac(WITHDRAWAL_0200_MAK, mab)).toEqual(WITHDRAWAL_0200_FIELDS.get(64));
    });

    it('a zero placeholder, macInput and withMac rebuild the reference byte for byte', () => {
      const fields = new Map(WITHDRAWAL_0200_FIELDS);
      fields.set(64, new Uint8Array(8));
      const draft = encode({ mti: '0200', fields }, 'ascii');
      const mac = retailMac(WITHDRAWAL_0200_MAK, macInput(draft, 'ascii'));
      expect(withMac(draft, mac, 'ascii')).toEqual(WITHDRAWAL_0200);
    });

    it('puts the MAC in DE128 once a secondary field is present', () => {
      expect(macFieldFor(new Map([[3, '0'], [64, '']]))).toBe(64);
      expect(macFieldFor(new Map([[3, '0'], [90, ''], [128, '']]))).toBe(128);
      const draft = encode(msg('0420', [[3, '011000'], [90, '0'.repeat(42)], [128, new Uint8Array(8)]]), 'binary');
      expect(macInput(draft, 'binary')).toEqual(draft.subarray(0, draft.length - 8));
      expect(withMac(draft, new Uint8Array(8).fill(7), 'binary').subarray(-8)).toEqual(new Uint8Array(8).fill(7));
    });

    it('refuses DE64 alongside a secondary bitmap, and a message without its MAC field', () => {
      expectIsoError(() => encode(msg('0200', [[64, new Uint8Array(8)], [102, 'X']]), 'ascii'), 'badField', 64);
      expectIsoError(() => macInput(encode(msg('0200', [[3, '011000']]), 'ascii'), 'ascii'), 'badField', 64);
      expectIsoError(() => macInput(encode(msg('0200', [[102, 'X']]), 'ascii'), 'ascii'), 'badField', 128);
      expectIsoError(() => withMac(WITHDRAWAL_0200, new Uint8Array(4), 'ascii'), 'badLength', 64);
    });
  });

  describe('encode validation', () => {
    it('pads short fixed numbers with zeros and short text with spaces', () => {
      const bytes = encode(msg('0200', [[11, '123'], [41, 'ATM1']]), 'ascii');
      expect(decode(bytes, 'ascii').fields).toEqual(new Map([[11, '000123'], [41, 'ATM1    ']]));
    });

    it.each<[string, [number, FieldValue], IsoFormatErrorCode, number | undefined]>([
      ['letters in an n field', [3, '01A000'], 'badField', 3],
      ['a fixed n field too long', [3, '0110000'], 'badLength', 3],
      ['an LLVAR over its maximum', [2, '1'.repeat(20)], 'badLength', 2],
      ['text in a b field', [52, 'E6E2117E6C1E2D2D'], 'badField', 52],
      ['bytes in a text field', [41, new Uint8Array(8)], 'badField', 41],
      ['a short b field (never padded)', [52, new Uint8Array(7)], 'badLength', 52],
      ['a short x+n field (never padded)', [28, 'C100'], 'badLength', 28],
      ['a letter in a z field', [35, '6212X=3012'], 'badField', 35],
      ['non-ASCII in ans', [43, 'KIOSK 北京'.padEnd(40)], 'badField', 43],
      ['an x+n amount without sign', [28, '000000100'], 'badField', 28],
      ['field 1 (the bitmap is derived)', [1, 'x'], 'unknownField', 1],
      ['field 129', [129, 'x'], 'unknownField', 129],
      ['a non-integer field number', [2.5, '1'], 'unknownField', 2.5],
    ])('refuses %s', (_, entry, code, field) => {
      for (const profile of ['ascii', 'binary'] as const) {
        expectIsoError(() => encode(msg('0200', [entry]), profile), code, field);
      }
    });

    it.each(['200', '02A0', '02000', ''])('refuses MTI %j', (mti) => {
      expectIsoError(() => encode(msg(mti, [[3, '000000']]), 'ascii'), 'badMti');
    });
  });

  describe('decode errors', () => {
    const good = encode(msg('0200', [[2, '6212341234567890'], [3, '011000'], [52, new Uint8Array(8)]]), 'ascii');
    const patched = (at: number, text: string): Uint8Array => {
      const copy = good.slice();
      copy.set(ascii(text), at);
      return copy;
    };
    // Layout: MTI 0..3, bitmap 4..19, DE2 prefix 20..21, PAN 22..37, DE3 38..43, DE52 44..59.
    it.each<[string, Uint8Array, IsoFormatErrorCode, number | undefined]>([
      ['empty input', new Uint8Array(0), 'truncated', undefined],
      ['a cut MTI', good.subarray(0, 3), 'truncated', undefined],
      ['a letter in the MTI', patched(1, 'X'), 'badMti', undefined],
      ['a cut bitmap', good.subarray(0, 12), 'truncated', undefined],
      ['a non-hex bitmap character', patched(5, 'G'), 'badBitmap', undefined],
      ['a cut length prefix', good.subarray(0, 21), 'truncated', 2],
      ['a non-digit length prefix', patched(20, 'A'), 'badLength', 2],
      ['a length over the field maximum', patched(20, '20'), 'badLength', 2],
      ['a cut variable field', good.subarray(0, 30), 'truncated', 2],
      ['a letter in an n field', patched(40, 'Z'), 'badField', 3],
      ['a non-hex b field', patched(50, 'QQ'), 'badField', 52],
      ['a cut fixed field', good.subarray(0, good.length - 1), 'truncated', 52],
      ['bytes after the last field', Uint8Array.of(...good, 0x30), 'badLength', undefined],
      ['a bitmap announcing a missing secondary bitmap', ascii('0200C000000000000000'), 'truncated', undefined],
    ])('%s', (_, bytes, code, field) => {
      expectIsoError(() => decode(bytes, 'ascii'), code, field);
    });

    it('rejects a BCD pad nibble that carries a digit, and an odd hex-ASCII count', () => {
      const bad = SIGN_ON_0800_BINARY.slice();
      bad[bad.length - 2] = 0x50; // DE70 "001" with the left pad nibble set to 5
      expectIsoError(() => decode(bad, 'binary'), 'badField', 70);
      const odd = encode(msg('0200', [[55, Uint8Array.of(1, 2)]]), 'ascii');
      odd.set(ascii('003'), 20);
      expectIsoError(() => decode(odd, 'ascii'), 'badLength', 55);
    });

    it('accepts lower-case hex and an F pad nibble from a host', () => {
      const lower = ascii(new TextDecoder().decode(good).toLowerCase());
      expect(decode(lower, 'ascii').fields.get(52)).toEqual(new Uint8Array(8));
      const fPadded = SIGN_ON_0800_BINARY.slice();
      fPadded[fPadded.length - 2] = 0xf0;
      expect(decode(fPadded, 'binary').fields.get(70)).toBe('001');
    });

    it('never aliases or mutates a Buffer it is given', () => {
      const received = Buffer.from(WITHDRAWAL_0200_BINARY);
      const pinBlock = decode(received, 'binary').fields.get(52);
      received.fill(0);
      expect(pinBlock).toEqual(WITHDRAWAL_0200_BINARY_FIELDS.get(52));
      const draft = Buffer.from(WITHDRAWAL_0200);
      withMac(draft, new Uint8Array(8), 'ascii');
      expect(new Uint8Array(draft)).toEqual(WITHDRAWAL_0200);
    });

    it('decodes a field the kiosk never sends (DE120) and keeps an all-zero secondary bitmap harmless', () => {
      const bytes = encode(msg('0810', [[39, '00'], [120, 'KEYS:0123'], [70, '101']]), 'binary');
      expect(decode(bytes, 'binary').fields.get(120)).toBe('KEYS:0123');
      const zeroSecondary = ascii('0800' + '8000000000000000' + '0000000000000000');
      expect(decode(zeroSecondary, 'ascii').fields.size).toBe(0);
    });
  });

  describe('profiles as data', () => {
    it('composes a new profile from existing pieces: binary lengths, a field table without DE55', () => {
      const custom = compileProfile({
        ...BINARY_PROFILE,
        name: 'binary-lengths',
        prefixer: binaryPrefixer,
        fields: BINARY_PROFILE.fields.filter((spec) => spec.id !== 55),
      });
      const bytes = encode(msg('0200', [[2, '6212341234567890'], [48, 'A'.repeat(300)]]), custom);
      expect(bytes.subarray(10, 11)).toEqual(Uint8Array.of(16)); // LL as one binary byte
      expect(bytes.subarray(19, 21)).toEqual(Uint8Array.of(0x01, 0x2c)); // LLL 300 as a 16-bit word
      expect(decode(bytes, custom).fields.get(48)).toBe('A'.repeat(300));
      expectIsoError(() => encode(msg('0200', [[55, new Uint8Array(1)]]), custom), 'unknownField', 55);
    });

    it('refuses a table whose lengths the prefix cannot carry', () => {
      const tooLong = ASCII_PROFILE.fields.map((spec) => (spec.id === 44 ? { ...spec, type: 'b' as const, length: 50 } : spec));
      expectIsoError(() => compileProfile({ ...ASCII_PROFILE, fields: tooLong }), 'badLength', 44);
    });
  });
});
