import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { aes } from '../../../main/crypto/aes.js';
import { fromHex, toHex } from '../../../main/crypto/bytes.js';
import {
  clearPinBlock,
  decipherPinBlock,
  encipherPinBlock,
  pinFromClearBlock,
  type PinBlockFormat,
} from '../../../main/crypto/pin-block.js';
import type { RandomSource } from '../../../main/crypto/random.js';
import { sm4 } from '../../../main/crypto/sm4.js';
import { tdes } from '../../../main/crypto/tdes.js';

const constant =
  (byte: number): RandomSource =>
  (n) =>
    new Uint8Array(n).fill(byte);

describe('ISO 9564 format 0', () => {
  // host-crypto §3.1 (psec tests/test_pinblock.py).
  it('PIN 1234, PAN 5555555551234567 → 041261AAAAEDCBA9', () => {
    expect(toHex(clearPinBlock(0, '1234', '5555555551234567'))).toBe('041261AAAAEDCBA9');
  });

  // host-crypto §3.1 (psec): 12-digit PIN leaves only two F nibbles.
  it('PIN 123456789012, PAN 5555555551234567 → 0C1261032D8226A9', () => {
    expect(toHex(clearPinBlock(0, '123456789012', '5555555551234567'))).toBe('0C1261032D8226A9');
  });

  // host-crypto §3.1 (ANSI X9.24-1 Annex A): 13-digit PAN.
  it('PIN 1234, PAN 4012345678909 → 041274EDCBA9876F', () => {
    expect(toHex(clearPinBlock(0, '1234', '4012345678909'))).toBe('041274EDCBA9876F');
  });

  // host-crypto §1.6: clear block and DE52 under the PIK.
  it('§1.6 withdrawal DE52 under TDES PIK', () => {
    const pik = tdes(fromHex('1C1C1C1C1C1C1C1C2A2A2A2A2A2A2A2A'));
    expect(toHex(clearPinBlock(0, '123456', '6212341234567890'))).toBe('06121717DCBA9876');
    expect(toHex(encipherPinBlock(pik, 0, '123456', '6212341234567890'))).toBe('E6E2117E6C1E2D2D');
    expect(decipherPinBlock(pik, 0, fromHex('E6E2117E6C1E2D2D'), '6212341234567890')).toBe('123456');
  });
});

describe('ISO 9564 format 3', () => {
  // host-crypto §3.1 (psec): random A–F fill; the block starts 341261 for 1234/5555555551234567.
  it('PIN 1234, PAN 5555555551234567 starts 341261', () => {
    expect(toHex(clearPinBlock(3, '1234', '5555555551234567')).slice(0, 6)).toBe('341261');
  });

  // Hand-computed: random byte 07 → fill nibble A + (7 mod 6) = B; 341234BBBBBBBBBB ⊕ 0000555555123456.
  it('uses the injected random source for the A–F fill', () => {
    expect(toHex(clearPinBlock(3, '1234', '5555555551234567', constant(0x07)))).toBe('341261EEEEA98FED');
  });
});

describe('ISO 9564 format 1', () => {
  // No public known-answer test exists (host-crypto §3.1); hand-computed from the layout 1 N PIN fill.
  it('has no PAN dependency and random 0–F fill', () => {
    expect(toHex(clearPinBlock(1, '1234', undefined, constant(0x1c)))).toBe('141234CCCCCCCCCC');
  });
});

describe('ISO 9564 format 4 (AES)', () => {
  const key = aes(fromHex('00112233445566778899AABBCCDDEEFF'));

  // host-crypto §3.1 (psec): K 0011…EEFF, PIN 1234, PAN 1234567890123456789, random FF×8.
  it('encipher → 28B41FDDD29B743E93124BD8E32D921E', () => {
    expect(toHex(encipherPinBlock(key, 4, '1234', '1234567890123456789', constant(0xff)))).toBe(
      '28B41FDDD29B743E93124BD8E32D921E',
    );
  });

  it('decipher the published block', () => {
    expect(decipherPinBlock(key, 4, fromHex('28B41FDDD29B743E93124BD8E32D921E'), '1234567890123456789')).toBe('1234');
  });

  // host-crypto §3.1 (psec): PAN field for 112233445566778899 = 6112233445566778899000…; a different PAN must not decode.
  it('binds the PAN (decoding under another PAN fails)', () => {
    expect(() => decipherPinBlock(key, 4, fromHex('28B41FDDD29B743E93124BD8E32D921E'), '112233445566778899')).toThrow(
      expect.objectContaining({ code: 'BAD_PIN_BLOCK' }),
    );
  });

  it('refuses an 8-byte cipher', () => {
    expect(() => encipherPinBlock(tdes(new Uint8Array(16)), 4, '1234', '1234567890123456')).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED' }),
    );
  });
});

describe('input validation', () => {
  it.each(['123', '1234567890123', '12a4', ''])('rejects PIN %j', (pin) => {
    expect(() => clearPinBlock(0, pin, '5555555551234567')).toThrow(expect.objectContaining({ code: 'BAD_PIN' }));
  });

  it.each([undefined, '12345678901', '12345678901234567890', '55555555512345x7'])('rejects PAN %j', (pan) => {
    expect(() => clearPinBlock(0, '1234', pan)).toThrow(expect.objectContaining({ code: 'BAD_PAN' }));
  });

  it('rejects a block whose control nibble is not the expected format', () => {
    expect(() => pinFromClearBlock(0, fromHex('141234CCCCCCCCCC'), '5555555551234567')).toThrow(
      expect.objectContaining({ code: 'BAD_PIN_BLOCK' }),
    );
  });
});

describe('round-trip properties', () => {
  const pin = fc.stringMatching(/^\d{4,12}$/);
  const pan = fc.stringMatching(/^\d{12,19}$/);
  const random = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((bytes): RandomSource => (n) => bytes.subarray(0, n));
  const key16 = fc.uint8Array({ minLength: 16, maxLength: 16 });

  it('formats 0/1/3 under TDES', () => {
    fc.assert(
      fc.property(fc.constantFrom<0 | 1 | 3>(0, 1, 3), pin, pan, random, key16, (format, p, a, rnd, k) => {
        const cipher = tdes(k);
        expect(decipherPinBlock(cipher, format, encipherPinBlock(cipher, format, p, a, rnd), a)).toBe(p);
      }),
    );
  });

  it('all formats under 16-byte ciphers (format 4 with AES and SM4, 0/1/3 widened for SM4)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<PinBlockFormat>(0, 1, 3, 4),
        fc.constantFrom(aes, sm4),
        pin,
        pan,
        random,
        key16,
        (format, make, p, a, rnd, k) => {
          const cipher = format === 4 ? make(k) : sm4(k);
          expect(decipherPinBlock(cipher, format, encipherPinBlock(cipher, format, p, a, rnd), a)).toBe(p);
        },
      ),
    );
  });
});
