import { hash } from 'node:crypto';
import type { StoredRecord } from './record.js';

/** The `prevHash` of the first record ever written: 32 zero bytes, as hex. */
export const GENESIS_HASH = '0'.repeat(64);

/** A point on the chain: the last record's seq and hash (seq 0 before the first record). */
export interface ChainPoint {
  readonly seq: number;
  readonly hash: string;
}

export const GENESIS: ChainPoint = { seq: 0, hash: GENESIS_HASH };

/**
 * The hashed form of a record: a JSON array of its columns in a fixed order.
 * The payload is already canonical JSON text, so it is spliced in as stored
 * and verification never re-parses it.
 */
export function canonicalRecord(record: Omit<StoredRecord, 'hash'>): string {
  const tx = record.txId === null ? 'null' : JSON.stringify(record.txId);
  const session = record.sessionId === null ? 'null' : JSON.stringify(record.sessionId);
  return `[${record.seq},${record.time},${JSON.stringify(record.kind)},${tx},${session},${record.payload}]`;
}

/**
 * hash = SHA-256(prevHash ‖ canonical(record)), hex. `prevHash` is always 64
 * hex characters, so the concatenation is unambiguous.
 */
export function chainHash(prevHash: string, record: Omit<StoredRecord, 'hash'>): string {
  return hash('sha256', prevHash + canonicalRecord(record), 'hex');
}
