import { describe, expect, it } from 'vitest';
import { aes } from '../../../main/crypto/aes.js';
import { assertMacEqual, fromHex, toHex } from '../../../main/crypto/bytes.js';
import { cbcMac, cmac, padIso9797, retailMac, unionPayEcbMac } from '../../../main/crypto/mac.js';
import { tdes } from '../../../main/crypto/tdes.js';

const hello = Buffer.from('hello world', 'ascii');

describe('ISO 9797-1 padding', () => {
  it('method 1 zero-fills, and pads the empty message to one block', () => {
    expect(toHex(padIso9797(fromHex('0102'), 8, 1))).toBe('0102000000000000');
    expect(toHex(padIso9797(new Uint8Array(0), 8, 1))).toBe('0000000000000000');
  });

  it('method 2 always appends 80', () => {
    expect(toHex(padIso9797(fromHex('0102030405060708'), 8, 2))).toBe('01020304050607088000000000000000');
  });
});

describe('MAC algorithm 1', () => {
  // host-crypto §3.3 (FIPS 113 / ANSI X9.9): single-DES CBC-MAC.
  it('FIPS 113: "Now is the time for all " → 70A30640CC76DD8B', () => {
    const data = Buffer.from('Now is the time for all ', 'ascii');
    expect(toHex(cbcMac(tdes(fromHex('0123456789ABCDEF')), data, 1))).toBe('70A30640CC76DD8B');
  });

  // host-crypto §3.3 (psec): TDES CBC-MAC, padding 1.
  it('TDES "hello world" → 68D9038F23360DF3', () => {
    expect(toHex(cbcMac(tdes(fromHex('AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB')), hello, 1))).toBe('68D9038F23360DF3');
  });
});

describe('MAC algorithm 3 (retail MAC, X9.19)', () => {
  // host-crypto §3.3 (psec).
  it('"hello world", padding 1 → 3DDE5C5511661CBF', () => {
    expect(toHex(retailMac(fromHex('41414141414141414242424242424242'), hello, 1))).toBe('3DDE5C5511661CBF');
  });

  // host-crypto §1.6: DE64 of the 0200 withdrawal, alg 3 padding 1 under the MAK, over the ASCII bytes MTI…DE55.
  it('§1.6 withdrawal DE64 → E46F74F5BD047E3A', () => {
    const mab = [
      '0200', '723C06C128E09A01', '16', '6212341234567890', '010000', '000000050000', '1124120000', '000123',
      '200000', '1124', '3012', '051', '001', '02', '12', '08', '12345678', '34', '6212341234567890=30122010000000000',
      '633012000123', 'ATM00001', '123456789012345', 'KIOSK 001 BRANCH A       SHANGHAI     CN', '156',
      'E6E2117E6C1E2D2D', '2600000000000000', '276',
      // DE55 TLVs: 9F26 9F27 9F10 9F37 9F36 95 9A 9C 9F02 5F2A 82 9F1A 9F03 9F33 9F34 9F35 84 9F09 9F1E.
      '9F26087C9001F2911FE6DB', '9F270180', '9F101307010103A00000010A010000000000ABCDEF12', '9F37041A2B3C4D',
      '9F36020007', '95050000000000', '9A03261124', '9C0101', '9F0206000000050000', '5F2A020156', '82027C00',
      '9F1A020156', '9F0306000000000000', '9F33036040E8', '9F3403420300', '9F350114', '8408A000000333010101',
      '9F09020030', '9F1E084B494F534B303031',
    ].join('');
    expect(mab.length + 16).toBe(547);
    const mac = retailMac(fromHex('3E3E3E3E3E3E3E3E4C4C4C4C4C4C4C4C'), Buffer.from(mab, 'ascii'), 1);
    expect(toHex(mac)).toBe('E46F74F5BD047E3A');
  });

  it('rejects an 8-byte key', () => {
    expect(() => retailMac(new Uint8Array(8), hello, 1)).toThrow(expect.objectContaining({ code: 'KEY_LENGTH' }));
  });
});

describe('CMAC', () => {
  const k = aes(fromHex('2B7E151628AED2A6ABF7158809CF4F3C'));

  // host-crypto §3.3 (RFC 4493 example 1).
  it('AES-CMAC of the empty message', () => {
    expect(toHex(cmac(k, new Uint8Array(0)))).toBe('BB1D6929E95937287FA37D129B756746');
  });

  // host-crypto §3.3 (RFC 4493 example 2).
  it('AES-CMAC of one block', () => {
    expect(toHex(cmac(k, fromHex('6BC1BEE22E409F96E93D7E117393172A')))).toBe('070A16B46B4D4144F79BDD9DD04A287C');
  });

  // RFC 4493 example 3 (40 bytes: partial last block, K2 path); not in host-crypto.md.
  it('AES-CMAC of 40 bytes (RFC 4493 example 3)', () => {
    const m = fromHex('6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E5130C81C46A35CE411');
    expect(toHex(cmac(k, m))).toBe('DFA66747DE9AE63030CA32611497C827');
  });

  // NIST SP 800-38B D.4 (three-key TDEA), example 10: Mlen 0; not in host-crypto.md.
  it('TDES-CMAC of the empty message (SP 800-38B D.4)', () => {
    const k3 = tdes(fromHex('8AA83BF8CBDA10620BC1BF19FBB6CD58BC313D4A371CA8B5'));
    expect(toHex(cmac(k3, new Uint8Array(0)))).toBe('B7A688E122FFAF95');
  });
});

describe('UnionPay POS ECB-MAC', () => {
  // host-crypto §3.3: self-computed by the report author (no public KAT): K 5CBE7E38A146FD5C, 010203 → "F11F2C27".
  it('010203 → ASCII F11F2C27', () => {
    expect(unionPayEcbMac(tdes(fromHex('5CBE7E38A146FD5C')), fromHex('010203')).toString('ascii')).toBe('F11F2C27');
  });
});

describe('assertMacEqual', () => {
  it('throws MAC_MISMATCH on a single flipped bit', () => {
    expect(() => assertMacEqual(fromHex('00112233'), fromHex('00112232'), 'test MAC')).toThrow(
      expect.objectContaining({ code: 'MAC_MISMATCH' }),
    );
  });
});
