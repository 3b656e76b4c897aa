import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromHex, toHex } from '../../../main/crypto/bytes.js';
import type { RandomSource } from '../../../main/crypto/random.js';
import { parseTr31Header, unwrapTr31, wrapTr31, type Tr31Header } from '../../../main/crypto/tr31.js';

// host-crypto §3.2 (psec tests/test_tr31.py known values).
const B_KBPK = fromHex('DD7515F2BFC17F85CE48F3CA25CB21F6');
const B_BLOCK = 'B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E';
// host-crypto §3.2 gives this KBPK truncated ("88E1AB2A…57DE6"); the full value is TR-31:2018 A.7.4,
// as used in openemv/tr31 test/tr31_decode_test.c test6.
const D_KBPK = fromHex('88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6');
const D_BLOCK =
  'D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34';
const KS_KBPK = fromHex('1D22BF32387C600AD97F9B97A51311AC');
const KS_BLOCK =
  'B0104B0TX12S0100KS1800604B120F9292800000BB68BE8680A400D9191AD4ECE45B6E6C0D21C4738A52190E248719E24B433627';

describe('TR-31 unwrap, published vectors', () => {
  it('version B, P0 PIN key (host-crypto §3.2)', () => {
    const { header, key } = unwrapTr31(B_KBPK, B_BLOCK);
    expect(toHex(key)).toBe('3F419E1CB7079442AA37474C2EFBF8B8');
    expect(header).toEqual({
      version: 'B',
      keyUsage: 'P0',
      algorithm: 'T',
      modeOfUse: 'E',
      keyVersion: '00',
      exportability: 'E',
      optionalBlocks: [],
    });
  });

  it('version D, AES-256 KBPK (host-crypto §3.2; TR-31:2018 A.7.4)', () => {
    const { header, key } = unwrapTr31(D_KBPK, D_BLOCK);
    expect(toHex(key)).toBe('3F419E1CB7079442AA37474C2EFBF8B8');
    expect(header.algorithm).toBe('A');
  });

  it('version B BDK with a KS optional block (host-crypto §3.2)', () => {
    const { header, key } = unwrapTr31(KS_KBPK, KS_BLOCK);
    expect(toHex(key)).toBe('E8BC63E5479455E26577F715D587FE68');
    expect(header).toMatchObject({ keyUsage: 'B0', modeOfUse: 'X', keyVersion: '12', exportability: 'S' });
    expect(header.optionalBlocks).toEqual([{ id: 'KS', data: '00604B120F9292800000' }]);
  });
});

describe('TR-31 wrap, published vector', () => {
  // TR-31:2018 A.7.4 gives the padding bytes 1C2965473CE206BB855B01533782 (openemv/tr31, psec).
  it('version D reproduces the published block byte for byte', () => {
    const padding = fromHex('1C2965473CE206BB855B01533782');
    const header: Tr31Header = {
      version: 'D',
      keyUsage: 'P0',
      algorithm: 'A',
      modeOfUse: 'E',
      keyVersion: '00',
      exportability: 'E',
      optionalBlocks: [],
    };
    expect(wrapTr31(D_KBPK, header, fromHex('3F419E1CB7079442AA37474C2EFBF8B8'), (n) => padding.subarray(0, n))).toBe(D_BLOCK);
  });
});

describe('TR-31 rejections', () => {
  it('a flipped MAC nibble is MAC_MISMATCH', () => {
    const tampered = `${B_BLOCK.slice(0, -1)}F`;
    expect(() => unwrapTr31(B_KBPK, tampered)).toThrow(expect.objectContaining({ code: 'MAC_MISMATCH' }));
  });

  it('an edited header attribute is MAC_MISMATCH (the header is authenticated)', () => {
    const exportable = B_BLOCK.replace('P0TE00E', 'P0TE00N');
    expect(() => unwrapTr31(B_KBPK, exportable)).toThrow(expect.objectContaining({ code: 'MAC_MISMATCH' }));
  });

  it('the wrong KBPK is MAC_MISMATCH', () => {
    expect(() => unwrapTr31(KS_KBPK, B_BLOCK)).toThrow(expect.objectContaining({ code: 'MAC_MISMATCH' }));
  });

  it('a declared length that does not match is BAD_KEY_BLOCK', () => {
    expect(() => unwrapTr31(B_KBPK, B_BLOCK.slice(0, -8))).toThrow(expect.objectContaining({ code: 'BAD_KEY_BLOCK' }));
  });

  it('version A is UNSUPPORTED', () => {
    expect(() => parseTr31Header('A0088M3TC00E0000')).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
  });

  // psec test_header_block_load_exceptions cases, by outcome rather than message.
  it.each(['B0000P0TE00N0100KS', 'B0000P0TE00N0100KS02', 'B0000P0TE00N0100KS0000', 'B0000P0TE00N0100**04', 'B0000P0T_00N0000'])(
    'malformed header %j is BAD_KEY_BLOCK',
    (text) => {
      expect(() => parseTr31Header(text)).toThrow(expect.objectContaining({ code: 'BAD_KEY_BLOCK' }));
    },
  );

  // psec test_header_load_optional_extended_length / _padded.
  it('parses extended-length blocks and drops the PB pad block', () => {
    const { header, length } = parseTr31Header('B0000P0TE00N0200KS00011600604B120F9292PB0A000000');
    expect(length).toBe(48);
    expect(header.optionalBlocks).toEqual([{ id: 'KS', data: '00604B120F9292' }]);
  });
});

describe('TR-31 wrap/unwrap round trip (property)', () => {
  const block = fc.record({
    id: fc.stringMatching(/^[0-9A-Z]{2}$/).filter((id) => id !== 'PB'),
    data: fc.stringMatching(/^[0-9A-Z]{0,300}$/),
  });
  const headerArb = fc.record({
    version: fc.constantFrom<'B' | 'D'>('B', 'D'),
    keyUsage: fc.constantFrom('P0', 'M3', 'K0', 'B0', 'D0'),
    algorithm: fc.constantFrom('T', 'A'),
    modeOfUse: fc.constantFrom('E', 'D', 'B', 'C', 'V', 'N', 'X'),
    keyVersion: fc.stringMatching(/^[0-9A-Z]{2}$/),
    exportability: fc.constantFrom<'E' | 'N' | 'S'>('E', 'N', 'S'),
    optionalBlocks: fc.array(block, { maxLength: 3 }),
  });

  it('unwrap(wrap(key)) returns the key and header', () => {
    fc.assert(
      fc.property(
        headerArb,
        fc.constantFrom(16, 24, 32),
        fc.constantFrom(8, 16, 24, 32),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (header, kbpkLength, keyLength, kbpkBytes, keyBytes) => {
          const kbpk = kbpkBytes.subarray(0, header.version === 'B' ? Math.min(kbpkLength, 24) : kbpkLength);
          const key = keyBytes.subarray(0, keyLength);
          const random: RandomSource = (n) => new Uint8Array(n).fill(0x5a);
          const wrapped = wrapTr31(kbpk, header, key, random);
          const out = unwrapTr31(kbpk, wrapped);
          expect(toHex(out.key)).toBe(toHex(key));
          expect(out.header).toEqual(header);
        },
      ),
    );
  });
});
