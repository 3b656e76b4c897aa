import { Buffer } from 'node:buffer';
import { fromHex, requireLength, xor } from './bytes.js';
import { CryptoInputError } from './errors.js';
import { tdes } from './tdes.js';

/**
 * ANSI X9.24-1:2009 TDES DUKPT, host side: BDK → IPEK → transaction key for a KSN → working keys.
 * The terminal-side future-key register lives in the EPP; the host (and our simulator) only ever
 * needs the key for a given KSN, which this derives directly.
 */

const KSN_LENGTH = 10;
const COUNTER_BITS = 21;
const KEY_MASK = fromHex('C0C0C0C000000000C0C0C0C000000000');

function checkKsn(ksn: Uint8Array): void {
  if (ksn.length !== KSN_LENGTH) throw new CryptoInputError('BAD_KSN', `TDES DUKPT KSN must be 10 bytes, got ${ksn.length}`);
}

/** Rightmost 8 KSN bytes with the 21-bit transaction counter cleared. */
function ksnRegister(ksn: Uint8Array): Buffer {
  const reg = Buffer.from(ksn.subarray(2));
  reg[5]! &= 0xe0;
  reg[6] = 0;
  reg[7] = 0;
  return reg;
}

function counterOf(ksn: Uint8Array): number {
  return ((ksn[7]! & 0x1f) << 16) | (ksn[8]! << 8) | ksn[9]!;
}

/** IPEK = TDES(BDK, id) ‖ TDES(BDK ⊕ C0C0…, id), id = leftmost 8 KSN bytes with the counter cleared. */
export function deriveIpek(bdk: Uint8Array, ksn: Uint8Array): Buffer {
  requireLength(bdk, [16], 'DUKPT BDK');
  checkKsn(ksn);
  const reg = Buffer.from(ksn.subarray(0, 8));
  reg[7]! &= 0xe0;
  return Buffer.concat([tdes(bdk).encrypt(reg), tdes(xor(bdk, KEY_MASK)).encrypt(reg)]);
}

/** Half of the non-reversible key generation process: single DES under the key's left half, whitened by its right half. */
function nrkgpHalf(key: Uint8Array, reg: Uint8Array): Buffer {
  const right = key.subarray(8, 16);
  return xor(tdes(key.subarray(0, 8)).encrypt(xor(reg, right)), right);
}

/** Non-reversible key generation process (X9.24-1 A.2): new key from the current key and the KSN register. */
export function nonReversibleKeyGen(key: Uint8Array, reg: Uint8Array): Buffer {
  requireLength(key, [16], 'DUKPT key');
  return Buffer.concat([nrkgpHalf(xor(key, KEY_MASK), reg), nrkgpHalf(key, reg)]);
}

/** Transaction (current) key for a KSN: one NRKGP step per set counter bit, high bit first. */
export function deriveTransactionKey(ipek: Uint8Array, ksn: Uint8Array): Buffer {
  requireLength(ipek, [16], 'DUKPT IPEK');
  checkKsn(ksn);
  const counter = counterOf(ksn);
  const reg = ksnRegister(ksn);
  let key: Buffer = Buffer.from(ipek);
  for (let bit = 1 << (COUNTER_BITS - 1); bit !== 0; bit >>>= 1) {
    if ((counter & bit) === 0) continue;
    reg[5]! |= bit >>> 16;
    reg[6]! |= (bit >>> 8) & 0xff;
    reg[7]! |= bit & 0xff;
    key = nonReversibleKeyGen(key, reg);
  }
  return key;
}

export type DukptTdesKeyUsage = 'pin' | 'mac-request' | 'mac-response' | 'data-request' | 'data-response';

/** X9.24-1:2009 variant constants, XORed into both key halves. */
const VARIANT: Record<DukptTdesKeyUsage, Buffer> = {
  pin: fromHex('00000000000000FF00000000000000FF'),
  'mac-request': fromHex('000000000000FF00000000000000FF00'),
  'mac-response': fromHex('00000000FF00000000000000FF000000'),
  'data-request': fromHex('0000000000FF00000000000000FF0000'),
  'data-response': fromHex('000000FF00000000000000FF00000000'),
};

/**
 * Working key from a transaction key. Data keys get the 2009 one-way step (each variant half
 * encrypted under the whole variant key) so a leaked data key does not reveal the PIN key.
 */
export function deriveWorkingKey(transactionKey: Uint8Array, usage: DukptTdesKeyUsage): Buffer {
  requireLength(transactionKey, [16], 'DUKPT transaction key');
  const variant = xor(transactionKey, VARIANT[usage]);
  if (usage !== 'data-request' && usage !== 'data-response') return variant;
  return tdes(variant).encrypt(variant);
}
