import { Buffer } from 'node:buffer';
import { requireLength, xor } from './bytes.js';
import { CryptoInputError } from './errors.js';
import { retailMac } from './mac.js';
import { tdes, withOddParity } from './tdes.js';

/**
 * EMV Book 2 cryptogram keys and MACs used by the kiosk's host simulator to check the card's
 * ARQC and to answer with an ARPC (tag 91).
 */

/**
 * ICC master key, option A (EMV Book 2 A1.4.1): Y = rightmost 16 digits of PAN ‖ PSN;
 * MK = parity(TDES(IMK, Y) ‖ TDES(IMK, Y ⊕ FF…FF)).
 */
export function deriveIccMasterKey(imk: Uint8Array, pan: string, psn: string): Buffer {
  requireLength(imk, [16], 'issuer master key');
  if (!/^\d{1,19}$/.test(pan)) throw new CryptoInputError('BAD_PAN', 'PAN must be 1-19 digits');
  if (!/^\d{2}$/.test(psn)) throw new CryptoInputError('BAD_PAN', 'PAN sequence number must be 2 digits');
  const y = Buffer.from(`${pan}${psn}`.padStart(16, '0').slice(-16), 'hex');
  const cipher = tdes(imk);
  return withOddParity(Buffer.concat([cipher.encrypt(y), cipher.encrypt(xor(y, Buffer.alloc(8, 0xff)))]));
}

/** EMV common session key (Book 2 A1.3): R = ATC ‖ 00…; halves use R with byte 2 set to F0 and 0F. */
export function deriveCommonSessionKey(mk: Uint8Array, atc: Uint8Array): Buffer {
  requireLength(mk, [16], 'ICC master key');
  if (atc.length !== 2) throw new CryptoInputError('DATA_LENGTH', `ATC must be 2 bytes, got ${atc.length}`);
  const cipher = tdes(mk);
  const half = (marker: number): Buffer => {
    const r = Buffer.alloc(8);
    r.set(atc);
    r[2] = marker;
    return cipher.encrypt(r);
  };
  return withOddParity(Buffer.concat([half(0xf0), half(0x0f)]));
}

/** Application cryptogram (ARQC/TC/AAC): ISO 9797-1 alg 3, padding method 2, over the CDOL data. */
export function generateAc(sessionKey: Uint8Array, cdolData: Uint8Array): Buffer {
  return retailMac(sessionKey, cdolData, 2);
}

/** ARPC method 1: TDES(SK, ARQC ⊕ (ARC ‖ 00…00)). */
export function generateArpcMethod1(sessionKey: Uint8Array, arqc: Uint8Array, arc: Uint8Array): Buffer {
  requireLength(sessionKey, [16], 'session key');
  if (arqc.length !== 8 || arc.length !== 2) {
    throw new CryptoInputError('DATA_LENGTH', 'ARPC method 1 needs an 8-byte ARQC and a 2-byte ARC');
  }
  return tdes(sessionKey).encrypt(xor(arqc, Buffer.concat([arc, Buffer.alloc(6)])));
}

/** ARPC method 2: leftmost 4 bytes of alg 3 (padding 2) over ARQC ‖ CSU ‖ proprietary authentication data. */
export function generateArpcMethod2(
  sessionKey: Uint8Array,
  arqc: Uint8Array,
  csu: Uint8Array,
  proprietaryAuthData: Uint8Array = new Uint8Array(0),
): Buffer {
  if (arqc.length !== 8 || csu.length !== 4 || proprietaryAuthData.length > 8) {
    throw new CryptoInputError('DATA_LENGTH', 'ARPC method 2 needs an 8-byte ARQC, 4-byte CSU and at most 8 bytes of proprietary data');
  }
  return retailMac(sessionKey, Buffer.concat([arqc, csu, proprietaryAuthData]), 2).subarray(0, 4);
}
