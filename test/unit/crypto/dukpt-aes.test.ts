import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../main/crypto/bytes.js';
import {
  AES_DUKPT_USAGE,
  deriveInitialKey,
  deriveTransactionKey,
  deriveWorkingKey,
} from '../../../main/crypto/dukpt-aes.js';

// host-crypto §3.2, AES DUKPT (ANSI X9.24-3:2017), cross-checked there against openemv/dukpt.
const BDK = fromHex('FEDCBA9876543210F1F1F1F1F1F1F1F1');
const IKID = fromHex('1234567890123456');
const ksn = (counter: number): Buffer => {
  const out = Buffer.alloc(12);
  out.set(IKID);
  out.writeUInt32BE(counter, 8);
  return out;
};

describe('AES DUKPT (ANSI X9.24-3:2017)', () => {
  const initial = deriveInitialKey(BDK, IKID);

  it('initial key', () => {
    expect(toHex(initial)).toBe('1273671EA26AC29AFA4D1084127652A1');
  });

  it('counter 1: transaction, PIN, MAC-generation and data keys', () => {
    const txn = deriveTransactionKey(initial, ksn(1));
    expect(toHex(txn)).toBe('4F21B565BAD9835E112B6465635EAE44');
    expect(toHex(deriveWorkingKey(txn, ksn(1), AES_DUKPT_USAGE.pinEncryption))).toBe('AF8CB133A78F8DC2D1359F18527593FB');
    expect(toHex(deriveWorkingKey(txn, ksn(1), AES_DUKPT_USAGE.macGeneration))).toBe('A2DC23DE6FDE0824A2BC321E08E4B8B7');
    expect(toHex(deriveWorkingKey(txn, ksn(1), AES_DUKPT_USAGE.dataEncrypt))).toBe('A35C412EFD41FDB98B69797C02DCD08F');
  });

  it('counter 2: PIN key', () => {
    const txn = deriveTransactionKey(initial, ksn(2));
    expect(toHex(deriveWorkingKey(txn, ksn(2), AES_DUKPT_USAGE.pinEncryption))).toBe('D30BDC73EC9714B000BEC66BDB7B6D09');
  });

  it('rejects a 10-byte (TDES-style) KSN', () => {
    expect(() => deriveTransactionKey(initial, new Uint8Array(10))).toThrow(expect.objectContaining({ code: 'BAD_KSN' }));
  });
});
