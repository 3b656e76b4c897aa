import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { aes } from '../../../main/crypto/aes.js';
import { cbcDecrypt, cbcEncrypt } from '../../../main/crypto/block-cipher.js';
import { fromHex, toHex } from '../../../main/crypto/bytes.js';
import { CryptoInputError } from '../../../main/crypto/errors.js';
import { kcv } from '../../../main/crypto/kcv.js';
import { sm4 } from '../../../main/crypto/sm4.js';
import { tdes, withOddParity } from '../../../main/crypto/tdes.js';

describe('tdes', () => {
  // host-crypto §3.3 Node note: single DES via des-ede-ecb with K‖K, DES("Now is t") = 3FA40E8A984D4815.
  it('single DES without the legacy provider (FIPS 81 "Now is t")', () => {
    expect(toHex(tdes(fromHex('0123456789ABCDEF')).encrypt(Buffer.from('Now is t', 'ascii')))).toBe('3FA40E8A984D4815');
  });

  // host-crypto §1.6: PIK 1C1C…2A2A, clear ISO-0 block 06121717DCBA9876 → DE52 E6E2117E6C1E2D2D.
  it('two-key TDES encrypt and decrypt (§1.6 DE52)', () => {
    const pik = tdes(fromHex('1C1C1C1C1C1C1C1C2A2A2A2A2A2A2A2A'));
    expect(toHex(pik.encrypt(fromHex('06121717DCBA9876')))).toBe('E6E2117E6C1E2D2D');
    expect(toHex(pik.decrypt(fromHex('E6E2117E6C1E2D2D')))).toBe('06121717DCBA9876');
  });

  it('three-key TDES with K1=K2=K3 degenerates to single DES', () => {
    const k = fromHex('0123456789ABCDEF');
    expect(toHex(tdes(Buffer.concat([k, k, k])).encrypt(Buffer.from('Now is t', 'ascii')))).toBe('3FA40E8A984D4815');
  });

  it('rejects a 15-byte key with a typed error', () => {
    expect(() => tdes(new Uint8Array(15))).toThrow(expect.objectContaining({ code: 'KEY_LENGTH' }));
  });

  it('rejects partial blocks', () => {
    expect(() => tdes(new Uint8Array(16)).encrypt(new Uint8Array(7))).toThrow(CryptoInputError);
  });

  it('sets odd parity', () => {
    expect(toHex(withOddParity(fromHex('0001FEFF')))).toBe('0101FEFE');
  });
});

describe('aes', () => {
  // FIPS 197 Appendix C.1.
  it('AES-128 FIPS 197 C.1', () => {
    const k = aes(fromHex('000102030405060708090A0B0C0D0E0F'));
    expect(toHex(k.encrypt(fromHex('00112233445566778899AABBCCDDEEFF')))).toBe('69C4E0D86A7B0430D8CDB78070B4C55A');
  });

  // NIST SP 800-38A F.2.1 CBC-AES128.Encrypt, first two blocks.
  it('CBC mode (SP 800-38A F.2.1)', () => {
    const k = aes(fromHex('2B7E151628AED2A6ABF7158809CF4F3C'));
    const iv = fromHex('000102030405060708090A0B0C0D0E0F');
    const pt = fromHex('6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E51');
    const ct = cbcEncrypt(k, iv, pt);
    expect(toHex(ct)).toBe('7649ABAC8119B246CEE98E9B12E9197D5086CB9B507219EE95DB113A917678B2');
    expect(toHex(cbcDecrypt(k, iv, ct))).toBe(toHex(pt));
  });
});

describe('sm4', () => {
  const key = fromHex('0123456789ABCDEFFEDCBA9876543210');

  // host-crypto §3.4, GB/T 32907 example 1.
  it('GB/T 32907 single block', () => {
    expect(toHex(sm4(key).encrypt(key))).toBe('681EDF34D206965E86B3E94F536E4246');
  });

  // host-crypto §3.4, GB/T 32907 example 2: 1,000,000 encryptions of P under K.
  it('GB/T 32907 one-million-iteration vector', () => {
    const cipher = sm4(key);
    let block: Buffer = Buffer.from(key);
    for (let i = 0; i < 1_000_000; i++) block = cipher.encrypt(block);
    expect(toHex(block)).toBe('595298C7C6FD271F0402F804C33D3F66');
  });

  it('round-trips random keys and multi-block data (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 1, max: 8 }), fc.uint8Array({ minLength: 128, maxLength: 128 }), (k, blocks, data) => {
        const cipher = sm4(k);
        const pt = data.subarray(0, blocks * 16);
        expect(toHex(cipher.decrypt(cipher.encrypt(pt)))).toBe(toHex(pt));
      }),
    );
  });
});

describe('kcv', () => {
  // host-crypto §1.6: PIK KCV B2924360, MAK KCV 8B33281C (4-byte UnionPay style, E(K, 0…0)).
  it('TDES 4-byte KCVs from the §1.6 worked example', () => {
    expect(toHex(kcv(tdes(fromHex('1C1C1C1C1C1C1C1C2A2A2A2A2A2A2A2A')), { length: 4 }))).toBe('B2924360');
    expect(toHex(kcv(tdes(fromHex('3E3E3E3E3E3E3E3E4C4C4C4C4C4C4C4C')), { length: 4 }))).toBe('8B33281C');
  });

  // openemv/tr31 test/tr31_decode_test.c test5 (TR-31:2018 A.7.3.2 BDK): KCV 9A4212.
  it('TDES 3-byte KCV (openemv tr31 test5)', () => {
    expect(toHex(kcv(tdes(fromHex('E8BC63E5479455E26577F715D587FE68'))))).toBe('9A4212');
  });

  // openemv/tr31 test6 (TR-31:2018 A.7.4): AES key 3F41…F8B8 has CMAC-based KCV 08793E.
  it('AES CMAC KCV (openemv tr31 test6)', () => {
    expect(toHex(kcv(aes(fromHex('3F419E1CB7079442AA37474C2EFBF8B8')), { method: 'cmac-zeros' }))).toBe('08793E');
  });
});
