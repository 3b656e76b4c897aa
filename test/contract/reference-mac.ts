/**
 * ISO 9797-1 MACs computed straight from node:crypto's DES-EDE-CBC, independently of main/crypto
 * and of any PIN pad under test: padding method 1; algorithm 1 chains under the whole key,
 * algorithm 3 chains under K_L (K_L‖K_L is single DES) and ends E(K_L) D(K_R) E(K_L) = TDES(K_L‖K_R).
 */
import { createCipheriv } from 'node:crypto';

function cbcLastBlock(key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const cipher = createCipheriv(key.length === 24 ? 'des-ede3-cbc' : 'des-ede-cbc', key, iv).setAutoPadding(false);
  return Buffer.concat([cipher.update(data), cipher.final()]).subarray(-8);
}

function padded(data: Uint8Array): Buffer {
  const out = Buffer.alloc(Math.max(1, Math.ceil(data.length / 8)) * 8);
  out.set(data);
  return out;
}

export function cbcMacByNode(key: Uint8Array, data: Uint8Array): Buffer {
  return cbcLastBlock(Buffer.from(key), Buffer.alloc(8), padded(data));
}

export function retailMacByNode(key: Uint8Array, data: Uint8Array): Buffer {
  const p = padded(data);
  const left = Buffer.from(key.subarray(0, 8));
  const head = p.subarray(0, p.length - 8);
  const chain = head.length === 0 ? Buffer.alloc(8) : cbcLastBlock(Buffer.concat([left, left]), Buffer.alloc(8), head);
  return cbcLastBlock(Buffer.from(key.subarray(0, 16)), chain, p.subarray(p.length - 8));
}

/**
 * ISO/IEC 9797-1:2011 Annex B.4 (MAC algorithm 3, padding 1), as the RustCrypto retail-mac crate's
 * README reproduces it: K‖K' = 0123456789ABCDEF FEDCBA9876543210.
 */
export const ISO9797_B4 = {
  key: '0123456789ABCDEFFEDCBA9876543210',
  vectors: [
    { data: 'Now is the time for all ', mac: 'A1C72E74EA3FA9B6' },
    { data: 'Now is the time for it', mac: '2E2B1428CC78254F' },
  ],
} as const;
