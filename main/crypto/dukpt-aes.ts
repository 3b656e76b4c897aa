import { Buffer } from 'node:buffer';
import { aes } from './aes.js';
import { requireLength } from './bytes.js';
import { CryptoInputError } from './errors.js';

/**
 * ANSI X9.24-3:2017 AES DUKPT, host side. KSN = 8-byte initial key ID (BDK ID ‖ derivation ID)
 * ‖ 32-bit transaction counter. Every derivation is AES-ECB(key, derivation data).
 */

export type AesDukptKeyType = 'AES128' | 'AES192' | 'AES256';

const KEY_TYPE: Record<AesDukptKeyType, { algorithm: number; bits: number }> = {
  AES128: { algorithm: 0x0002, bits: 128 },
  AES192: { algorithm: 0x0003, bits: 192 },
  AES256: { algorithm: 0x0004, bits: 256 },
};

/** Key usage indicators of the derivation data (X9.24-3 table 2). */
export const AES_DUKPT_USAGE = {
  keyDerivation: 0x8000,
  initialKey: 0x8001,
  pinEncryption: 0x1000,
  macGeneration: 0x2000,
  macVerification: 0x2001,
  macBoth: 0x2002,
  dataEncrypt: 0x3000,
  dataDecrypt: 0x3001,
  dataBoth: 0x3002,
} as const;

export type AesDukptUsage = (typeof AES_DUKPT_USAGE)[keyof typeof AES_DUKPT_USAGE];

const KSN_LENGTH = 12;

function keyTypeOf(key: Uint8Array): AesDukptKeyType {
  requireLength(key, [16, 24, 32], 'AES DUKPT key');
  return key.length === 16 ? 'AES128' : key.length === 24 ? 'AES192' : 'AES256';
}

/** DD = 01 ‖ block counter ‖ usage ‖ algorithm ‖ length in bits ‖ 8 context bytes; one AES block per 128 output bits. */
function derive(key: Uint8Array, usage: number, type: AesDukptKeyType, context: Uint8Array): Buffer {
  const { algorithm, bits } = KEY_TYPE[type];
  const cipher = aes(key);
  const blocks: Buffer[] = [];
  for (let i = 1; i <= Math.ceil(bits / 128); i++) {
    const dd = Buffer.alloc(16);
    dd[0] = 0x01;
    dd[1] = i;
    dd.writeUInt16BE(usage, 2);
    dd.writeUInt16BE(algorithm, 4);
    dd.writeUInt16BE(bits, 6);
    dd.set(context, 8);
    blocks.push(cipher.encrypt(dd));
  }
  return Buffer.concat(blocks).subarray(0, bits / 8);
}

function splitKsn(ksn: Uint8Array): { ikid: Buffer; counter: number } {
  if (ksn.length !== KSN_LENGTH) throw new CryptoInputError('BAD_KSN', `AES DUKPT KSN must be 12 bytes, got ${ksn.length}`);
  const buf = Buffer.from(ksn);
  return { ikid: buf.subarray(0, 8), counter: buf.readUInt32BE(8) };
}

/** Last 8 bytes of DD after the initial key: derivation ID (IKID bytes 4–7) ‖ counter. */
function counterContext(ikid: Uint8Array, counter: number): Buffer {
  const ctx = Buffer.alloc(8);
  ctx.set(ikid.subarray(4, 8));
  ctx.writeUInt32BE(counter >>> 0, 4);
  return ctx;
}

/** Initial key loaded into the terminal; it has the BDK's key type. */
export function deriveInitialKey(bdk: Uint8Array, ikid: Uint8Array): Buffer {
  if (ikid.length !== 8) throw new CryptoInputError('BAD_KSN', `initial key ID must be 8 bytes, got ${ikid.length}`);
  return derive(bdk, AES_DUKPT_USAGE.initialKey, keyTypeOf(bdk), ikid);
}

/** Transaction key: one intermediate derivation per set counter bit, high bit first. */
export function deriveTransactionKey(initialKey: Uint8Array, ksn: Uint8Array): Buffer {
  const type = keyTypeOf(initialKey);
  const { ikid, counter } = splitKsn(ksn);
  let key: Buffer = Buffer.from(initialKey);
  let working = 0;
  for (let bit = 0x80000000; bit >= 1; bit /= 2) {
    if ((counter & bit) === 0) continue;
    working = (working | bit) >>> 0;
    key = derive(key, AES_DUKPT_USAGE.keyDerivation, type, counterContext(ikid, working));
  }
  return key;
}

/** Working key (PIN, MAC, data) of `type` from a transaction key and the transaction's KSN. */
export function deriveWorkingKey(
  transactionKey: Uint8Array,
  ksn: Uint8Array,
  usage: AesDukptUsage,
  type: AesDukptKeyType = 'AES128',
): Buffer {
  keyTypeOf(transactionKey);
  const { ikid, counter } = splitKsn(ksn);
  return derive(transactionKey, usage, type, counterContext(ikid, counter));
}
