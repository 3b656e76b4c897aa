import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FIELDS_1987,
  IsoFormatError,
  decode,
  encode,
  type FieldSpec,
  type FieldValue,
  type IsoMessage,
  type ProfileName,
} from '../../../../main/host-link/iso8583/index.js';
import { ATM_MESSAGES } from '../../../fixtures/iso8583/atm-messages.js';
import { WITHDRAWAL_0200 } from '../../../fixtures/iso8583/withdrawal-0200.js';

const PROFILE_NAMES: readonly ProfileName[] = ['ascii', 'binary'];

const chars = (set: string) => fc.constantFrom(...set);
const DIGITS = '0123456789';
const ALNUM = DIGITS + 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz ';
const PRINTABLE = Array.from({ length: 0x5f }, (_, i) => String.fromCharCode(0x20 + i)).join('');

/** Any legal value of a field, at full length when fixed (padding is a separate, deliberate change). */
function valueOf(spec: FieldSpec): fc.Arbitrary<FieldValue> {
  const min = spec.prefix === 'fixed' ? spec.length : 0;
  // Long LLL values are covered by the at-maximum test; keep random messages quick to shrink.
  const max = spec.prefix === 'fixed' ? spec.length : Math.min(spec.length, 64);
  const str = (set: string, length = { minLength: min, maxLength: max }) => fc.string({ unit: chars(set), ...length });
  switch (spec.type) {
    case 'n':
      return str(DIGITS);
    case 'an':
      return str(ALNUM);
    case 'ans':
      return str(PRINTABLE);
    case 'z':
      return str(DIGITS + '=');
    case 'x+n':
      return fc.tuple(chars('CD'), str(DIGITS, { minLength: spec.length - 1, maxLength: spec.length - 1 })).map(([s, d]) => s + d);
    case 'b':
      return fc.uint8Array({ minLength: min, maxLength: max });
  }
}

const fieldArbitraries = Object.fromEntries(FIELDS_1987.map((spec) => [spec.id, valueOf(spec)]));

const mti = fc.string({ unit: chars(DIGITS), minLength: 4, maxLength: 4 });

/** Any legal message: random MTI, any subset of DE2..128, the MAC in the one place the rule allows. */
const anyMessage: fc.Arbitrary<IsoMessage> = fc
  .tuple(mti, fc.record(fieldArbitraries, { requiredKeys: [] }))
  .map(([code, record]) => {
    const fields = new Map<number, FieldValue>();
    for (const [id, value] of Object.entries(record)) if (value !== undefined) fields.set(Number(id), value);
    if ([...fields.keys()].some((id) => id > 64)) fields.delete(64);
    return { mti: code, fields };
  });

/** Decoding may only return a message or throw IsoFormatError. */
function decodesOrRefuses(bytes: Uint8Array, profile: ProfileName): IsoMessage | IsoFormatError {
  try {
    return decode(bytes, profile);
  } catch (error) {
    if (error instanceof IsoFormatError) return error;
    throw error;
  }
}

const validMessages: [ProfileName, Uint8Array][] = [
  ['ascii', WITHDRAWAL_0200],
  ...PROFILE_NAMES.flatMap((profile) => Object.values(ATM_MESSAGES).map((m): [ProfileName, Uint8Array] => [profile, encode(m, profile)])),
];

describe.each(PROFILE_NAMES)('%s profile under fast-check', (profile) => {
  it('round-trips any legal message: decode(encode(m)) = m, and re-encoding is byte-identical', () => {
    fc.assert(
      fc.property(anyMessage, (message) => {
        const bytes = encode(message, profile);
        const back = decode(bytes, profile);
        expect(back).toEqual(message);
        expect(encode(back, profile)).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips every field at its maximum length', () => {
    const longest = new Map<number, FieldValue>(
      FIELDS_1987.filter((spec) => spec.id !== 64).map((spec) => {
        const fill = spec.type === 'x+n' ? 'C' + '9'.repeat(spec.length - 1) : spec.type === 'an' || spec.type === 'ans' ? 'Z'.repeat(spec.length) : '9'.repeat(spec.length);
        return [spec.id, spec.type === 'b' ? new Uint8Array(spec.length).fill(0xa5) : fill];
      }),
    );
    const message = { mti: '0200', fields: longest };
    expect(decode(encode(message, profile), profile)).toEqual(message);
  });

  it('random bytes: a message or an IsoFormatError, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), (bytes) => {
        decodesOrRefuses(bytes, profile);
      }),
      { numRuns: 2000 },
    );
  });

  it('random bytes behind a valid MTI (and, for ascii, a hex bitmap): a message or an IsoFormatError', () => {
    const header =
      profile === 'ascii'
        ? fc.string({ unit: chars(DIGITS + 'ABCDEF'), minLength: 20, maxLength: 36 }).map((head) => Array.from(head, (c) => c.charCodeAt(0)))
        : mti.map((digits) => [parseInt(digits.slice(0, 2), 16), parseInt(digits.slice(2), 16)]); // BCD MTI
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 400 }), (head, tail) => {
        decodesOrRefuses(Uint8Array.from([...head, ...tail]), profile);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('valid messages, damaged', () => {
  const arbValid = fc.constantFrom(...validMessages);

  it('every strict truncation is refused as truncated', () => {
    for (const [profile, bytes] of validMessages) {
      for (let cut = 0; cut < bytes.length; cut++) {
        const result = decodesOrRefuses(bytes.subarray(0, cut), profile);
        expect(result).toBeInstanceOf(IsoFormatError);
        expect((result as IsoFormatError).code).toBe('truncated');
      }
    }
  });

  it('corrupted bitmaps, length prefixes or any bytes: a message or an IsoFormatError', () => {
    fc.assert(
      fc.property(
        arbValid,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        ([profile, bytes], edits, inHeader) => {
          const damaged = bytes.slice();
          // Half the runs aim at the MTI, bitmaps and first prefixes, where one byte changes the whole parse.
          const span = inHeader ? Math.min(damaged.length, 48) : damaged.length;
          for (const [at, value] of edits) damaged[at % span] = value;
          decodesOrRefuses(damaged, profile);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('flipped bitmap bits: a message or an IsoFormatError', () => {
    fc.assert(
      fc.property(arbValid, fc.integer({ min: 0, max: 127 }), ([profile, bytes], bit) => {
        const damaged = bytes.slice();
        if (profile === 'binary') {
          const at = 2 + (bit >> 3);
          if (at < damaged.length) damaged[at]! ^= 0x80 >> (bit & 7);
        } else {
          // hex-ASCII bitmap: flip within the nibble's character and keep it a hex digit.
          const at = 4 + (bit >> 2);
          const nibble = parseInt(String.fromCharCode(damaged[at]!), 16) ^ (0x8 >> (bit & 3));
          damaged[at] = nibble.toString(16).toUpperCase().charCodeAt(0);
        }
        decodesOrRefuses(damaged, profile);
      }),
      { numRuns: 1000 },
    );
  });
});
