import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import smCrypto from 'sm-crypto';
import { toHex } from '../../../main/crypto/bytes.js';
import { generateSm2KeyPair, sm2Decrypt, sm2Encrypt, sm2Sign, sm2Verify } from '../../../main/crypto/sm2.js';
import { sm3 } from '../../../main/crypto/sm3.js';

describe('SM3', () => {
  // host-crypto §3.4 (GB/T 32905 example 1).
  it('SM3("abc")', () => {
    expect(toHex(sm3(Buffer.from('abc', 'ascii')))).toBe('66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0');
  });

  // GB/T 32905 example 2: "abcd" × 16 (not in host-crypto.md).
  it('SM3 of 64 bytes', () => {
    expect(toHex(sm3(Buffer.from('abcd'.repeat(16), 'ascii')))).toBe('DEBE9FF92275B8A138604889C18E5A4D6FDB70E5387E5765293DCBA39C0C5732');
  });

  // Node's OpenSSL and sm-crypto's pure-JS SM3 are independent implementations.
  it('matches sm-crypto on random input (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (data) => {
        expect(toHex(sm3(data))).toBe(smCrypto.sm3(Array.from(data)).toUpperCase());
      }),
      { numRuns: 50 },
    );
  });
});

describe('SM2 via sm-crypto', () => {
  const keys = generateSm2KeyPair();
  const message = Buffer.from('0200 withdrawal MAB', 'ascii');

  // No published SM2 known-answer test in host-crypto.md; signatures are randomised, so these are
  // round-trip and tamper checks.
  it('sign/verify round trip, rejecting a changed message and a different user ID', () => {
    const signature = sm2Sign(message, keys.privateKey, keys.publicKey);
    expect(sm2Verify(message, signature, keys.publicKey)).toBe(true);
    expect(sm2Verify(Buffer.from('0200 withdrawal MAC', 'ascii'), signature, keys.publicKey)).toBe(false);
    expect(sm2Verify(message, signature, keys.publicKey, 'ATMP-01')).toBe(false);
  });

  it('a signature from another key does not verify', () => {
    const other = generateSm2KeyPair();
    expect(sm2Verify(message, sm2Sign(message, other.privateKey, other.publicKey), keys.publicKey)).toBe(false);
  });

  it('encrypt/decrypt round trip in both ciphertext orders', () => {
    for (const order of ['C1C3C2', 'C1C2C3'] as const) {
      const ct = sm2Encrypt(message, keys.publicKey, order);
      expect(ct.length).toBe(message.length + 96);
      expect(sm2Decrypt(ct, keys.privateKey, order).toString('ascii')).toBe(message.toString('ascii'));
    }
  });

  it('a tampered ciphertext is MAC_MISMATCH', () => {
    const ct = sm2Encrypt(message, keys.publicKey);
    ct[ct.length - 1]! ^= 0x01;
    expect(() => sm2Decrypt(ct, keys.privateKey)).toThrow(expect.objectContaining({ code: 'MAC_MISMATCH' }));
  });
});
