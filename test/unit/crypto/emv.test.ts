import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../main/crypto/bytes.js';
import {
  deriveCommonSessionKey,
  deriveIccMasterKey,
  generateAc,
  generateArpcMethod1,
  generateArpcMethod2,
} from '../../../main/crypto/emv.js';

const IMK = fromHex('0123456789ABCDEFFEDCBA9876543210');
const SK = fromHex('AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB');

describe('EMV keys and cryptograms (host-crypto §4.3, pyemv doctests)', () => {
  it('ICC master key, option A', () => {
    expect(toHex(deriveIccMasterKey(IMK, '12345678901234567', '01'))).toBe('73AD54688CEF2934B0979857E3C719F1');
  });

  it('common session key, ATC 001C', () => {
    expect(toHex(deriveCommonSessionKey(IMK, fromHex('001C')))).toBe('E9FB384AF807B940FEDCEA613461B0C4');
  });

  it('ARQC over CDOL1 data (alg 3, padding 2)', () => {
    const data = fromHex('000000002000' + '000000000000' + '0124' + '0000008000' + '0124' + '110309' + '00' + '3804823E' + '5800' + '0001');
    expect(toHex(generateAc(SK, data))).toBe('3B76CF10FECD8789');
  });

  it('ARPC method 1, ARC 0000', () => {
    expect(toHex(generateArpcMethod1(SK, fromHex('1234567890ABCDEF'), fromHex('0000')))).toBe('F5E6F44147E2F1B0');
  });

  it('ARPC method 2, CSU 00000000', () => {
    expect(toHex(generateArpcMethod2(SK, fromHex('1234567890ABCDEF'), fromHex('00000000')))).toBe('9308BEBC');
  });

  // host-crypto §4.3 "chained, self-computed" (used by the §1.6 DE55): not an independent vector,
  // but it pins the kiosk's own fixture chain PAN → MK → SK → ARQC → ARPC.
  it('§1.6 fixture chain for PAN 6212341234567890 / 01, ATC 0007', () => {
    const mk = deriveIccMasterKey(IMK, '6212341234567890', '01');
    expect(toHex(mk)).toBe('D0618C7C0116298616D540F870750119');
    const sk = deriveCommonSessionKey(mk, fromHex('0007'));
    expect(toHex(sk)).toBe('B6A89D26E662BCE0F87040D6C15DAE98');
    const arqc = fromHex('7C9001F2911FE6DB');
    expect(toHex(generateArpcMethod1(sk, arqc, fromHex('3030')))).toBe(
      'E89380E922D3A52E',
    );
  });
});
