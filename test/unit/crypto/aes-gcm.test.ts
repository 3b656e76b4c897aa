import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gcmOpen, gcmSeal } from '../../../main/crypto/aes-gcm.js';
import { fromHex, toHex } from '../../../main/crypto/bytes.js';

describe('AES-GCM', () => {
  // The GCM specification (McGrew & Viega), test case 16: AES-256, 96-bit IV, 60-byte plaintext, 20-byte AAD.
  const key = fromHex('FEFFE9928665731C6D6A8F9467308308FEFFE9928665731C6D6A8F9467308308');
  const iv = fromHex('CAFEBABEFACEDBADDECAF888');
  const plaintext = fromHex(
    'D9313225F88406E5A55909C5AFF5269A86A7A9531534F7DA2E4C303D8A318A72' +
      '1C3C0C95956809532FCF0E2449A6B525B16AEDF5AA0DE657BA637B39',
  );
  const aad = fromHex('FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2');
  const ciphertext =
    '522DC1F099567D07F47F37A32A84427D643A8CDCBFE5C0C97598A2BD2555D1AA' +
    '8CB08E48590DBB3DA7B08B1056828838C5F61E6393BA7A0ABCC9F662';
  const tag = '76FC6ECE0F4E1768CDDF8853BB2D551B';

  it('seals and opens test case 16', () => {
    const sealed = gcmSeal(key, iv, plaintext, aad);
    expect(toHex(sealed.ciphertext)).toBe(ciphertext);
    expect(toHex(sealed.tag)).toBe(tag);
    expect(toHex(gcmOpen(key, iv, { ciphertext: fromHex(ciphertext), tag: fromHex(tag) }, aad))).toBe(toHex(plaintext));
  });

  it('refuses any flipped bit of ciphertext, tag or AAD with MAC_MISMATCH', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 + 16 + 20 - 1 }), fc.integer({ min: 0, max: 7 }), (at, bit) => {
        const c = fromHex(ciphertext);
        const t = fromHex(tag);
        const a = Buffer.from(aad);
        const target = at < 60 ? c : at < 76 ? t : a;
        const i = at < 60 ? at : at < 76 ? at - 60 : at - 76;
        target[i]! ^= 1 << bit;
        expect(() => gcmOpen(key, iv, { ciphertext: c, tag: t }, a)).toThrow(
          expect.objectContaining({ code: 'MAC_MISMATCH' }),
        );
      }),
      { numRuns: 200 },
    );
  });
});
