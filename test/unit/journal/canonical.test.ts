import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../main/journal/canonical.js';
import { JournalInputError } from '../../../main/journal/record.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson([undefined, 'é"\n'])).toBe('[null,"é\\"\\n"]');
  });

  it('gives the same text for the same data in any key order, and parses back to it', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (doc) => {
        const text = canonicalJson(doc);
        const reordered = JSON.parse(JSON.stringify(doc), (_k, v: unknown) =>
          v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
        ) as unknown;
        expect(canonicalJson(reordered)).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(doc)));
      }),
    );
  });

  it('refuses what JSON would change silently', () => {
    for (const bad of [Number.NaN, Infinity, 1n, () => 1, Symbol('s'), new Date(0), new Uint8Array(2), new Map()]) {
      expect(() => canonicalJson({ x: bad })).toThrow(JournalInputError);
    }
  });
});
