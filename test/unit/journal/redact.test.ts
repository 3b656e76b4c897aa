import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertSafe, luhnValid, maskPans, redact, sanitize, SensitiveDataError } from '../../../main/journal/redact.js';

/** Appends the Luhn check digit, computed here independently of the module under test. */
function withCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2; // these digits are doubled once the check digit is appended
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

const pan = fc
  .integer({ min: 12, max: 18 })
  .chain((n) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n }))
  .map(withCheckDigit);

/** Text that ends (or starts) with a non-digit, so the PAN is a number of its own. */
const textUnit = fc.oneof(fc.constantFrom(...'0123456789 -=;?^:,/abcXYZ中文\n\t"'), fc.string({ minLength: 1, maxLength: 1 }));
const text = fc.string({ unit: textUnit, maxLength: 40 });
const boundary = fc.constantFrom(' ', '-', ':', 'a', '=', '中', '/', '\n');

describe('luhnValid', () => {
  it('accepts published test card numbers and rejects a changed digit', () => {
    for (const good of ['4111111111111111', '5500005555555559', '378282246310005', '4222222222222']) {
      expect(luhnValid(good)).toBe(true);
    }
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('6222021234561234')).toBe(false);
  });
});

describe('maskPans', () => {
  it('keeps the first 6 and last 4 digits', () => {
    expect(maskPans('6222021234561236')).toBe('622202******1236');
    expect(maskPans('card 4111111111111111 read')).toBe('card 411111******1111 read');
    expect(maskPans('amex:378282246310005.')).toBe('amex:378282*****0005.');
    expect(maskPans('6222020000111122222')).toBe('622202*********2222');
  });

  it('masks PANs written in groups, keeping the separators', () => {
    expect(maskPans('4111 1111 1111 1111')).toBe('4111 11** **** 1111');
    expect(maskPans('4111-1111-1111-1111')).toBe('4111-11**-****-1111');
    expect(maskPans('ref 12 4111 1111 1111 1111 ok')).toBe('ref 12 4111 11** **** 1111 ok');
  });

  it('leaves numbers that are not PANs alone', () => {
    const untouched = [
      '4111111111111112', // Luhn fails
      '411111111111', // 12 digits
      '41111111111111111111', // 20 digits: no PAN inside one longer number
      '2026-01-01T12:00:00.000Z',
      'amount 5000000 CNY',
      'tel 138 0013 8000',
    ];
    for (const s of untouched) expect(maskPans(s)).toBe(s);
  });

  it('masks a random PAN embedded in random text, changing nothing but digits to *', () => {
    fc.assert(
      fc.property(text, boundary, pan, boundary, text, (before, b1, p, b2, after) => {
        const input = `${before}${b1}${p}${b2}${after}`;
        const out = maskPans(input);
        const at = before.length + b1.length;
        expect(out).toHaveLength(input.length);
        expect(out.slice(at + 6, at + p.length - 4)).toBe('*'.repeat(p.length - 10));
        expect(out).not.toContain(p);
        for (let i = 0; i < input.length; i++) {
          if (out[i] !== input[i]) expect([out[i], /[0-9]/.test(input[i] ?? '')]).toEqual(['*', true]);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('masks to a fixed point: a mask that leaves a new PAN-shaped window masks that too', () => {
    // "1000004 411111" is 13 digits passing Luhn once the 16-digit PAN after the space is cut at its mask.
    expect(maskPans('1000004 4111111111111111')).toBe('100000* **1111******1111');
  });

  it('is idempotent', () => {
    const digitsHeavy = fc.string({ unit: fc.constantFrom(...'0123456789 -a'), maxLength: 80 });
    fc.assert(
      fc.property(fc.oneof(digitsHeavy, text), (s) => {
        const once = maskPans(s);
        expect(maskPans(once)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('redact', () => {
  it('masks PANs in nested strings, numbers and keys, and returns untouched values as they are', () => {
    const clean = { a: { b: ['x', 1, true, null] } };
    expect(redact(clean)).toBe(clean);
    const payload = { card: { pan: '4111111111111111', history: ['used 5500005555555559 twice'] }, n: 4111111111111111, byCard: { '4111111111111111': 1 } };
    expect(redact(payload)).toEqual({
      card: { pan: '411111******1111', history: ['used 550000******5559 twice'] },
      n: '411111******1111',
      byCard: { '411111******1111': 1 },
    });
    expect(payload.card.pan).toBe('4111111111111111'); // the caller's object is not changed
  });

  it('masks random PANs at any depth of random JSON', () => {
    const json = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(json, pan, fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }), (doc, p, keys) => {
        const deep = keys.reduceRight<unknown>((inner, key) => ({ [`k${key}`]: inner }), { doc, card: `PAN ${p}` });
        expect(JSON.stringify(redact(deep))).not.toContain(p);
      }),
    );
  });
});

describe('assertSafe', () => {
  const refused = (value: unknown): SensitiveDataError => {
    try {
      assertSafe(value);
    } catch (err) {
      if (err instanceof SensitiveDataError) return err;
      throw err;
    }
    throw new Error('not refused');
  };

  it('refuses PIN, track and card-verification keys in any spelling, naming the path', () => {
    const keys = ['pin', 'PIN', 'pinBlock', 'pin_block', 'PinData', 'clearPin', 'track1', 'Track2', 'track_3', 'track2Data', 'cvv', 'CVV2', 'icvv', 'iCVV'];
    for (const key of keys) {
      const err = refused({ card: [{ [key]: 'x' }] });
      expect(err).toMatchObject({ reason: 'forbiddenKey', path: `$.card[0].${key}` });
    }
  });

  it('accepts keys that only resemble the forbidden ones', () => {
    for (const key of ['pinpadId', 'pinEntered', 'trackingId', 'cardholder', 'cvmResults']) {
      expect(() => assertSafe({ [key]: 1 })).not.toThrow();
    }
  });

  it('refuses track data values without putting them in the error', () => {
    const tracks = [
      ';4111111111111111=25121011234567890?',
      '4111111111111111=2512101',
      '4111111111111111D25121010000000000000F', // EMV tag 57
      'tag57 4111111111111111d2512101',
      '%B4111111111111111^DOE/JOHN^2512101?',
    ];
    for (const t of tracks) {
      const err = refused({ raw: t });
      expect(err).toMatchObject({ reason: 'trackData', path: '$.raw' });
      expect(err.message).not.toContain('4111');
    }
  });

  it('refuses a forbidden key wherever fast-check hides it', () => {
    const forbidden = fc.constantFrom('pin', 'pinBlock', 'track2', 'cvv2', 'icvv', 'pinData', 'clearPin', 'track1', 'track3', 'cvv');
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 2 }), forbidden, fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 4 }), (doc, key, path) => {
        const hidden = path.reduceRight<unknown>((inner, k) => ({ [k]: inner }), { doc, [key]: '1234' });
        expect(() => assertSafe(hidden)).toThrow(SensitiveDataError);
      }),
    );
  });

  it('sanitize refuses like assertSafe and masks like redact', () => {
    expect(sanitize({ pan: '4111111111111111' })).toEqual({ pan: '411111******1111' });
    expect(() => sanitize({ pinBlock: '0412AC89ABCDEF67' })).toThrow(SensitiveDataError);
    expect(redact({ pinBlock: 'x' })).toEqual({ pinBlock: 'x' }); // redact alone masks, it does not judge
  });
});
