/** What one journal record is about. A closed list: a new subsystem adds its kind here. */
export const JOURNAL_KINDS = [
  'customer',
  'device.command',
  'device.result',
  'host.request',
  'host.response',
  'transaction',
  'security',
  'recovery',
  'config',
  'renderer',
  /** The technician's supervisor mode: logins, exchanges, card bin, counters slips. */
  'maintenance',
] as const;

export type JournalKind = (typeof JOURNAL_KINDS)[number];

const KIND_SET: ReadonlySet<string> = new Set(JOURNAL_KINDS);

export function isJournalKind(kind: string): kind is JournalKind {
  return KIND_SET.has(kind);
}

/** What a caller asks to journal. `payload` must be JSON-serialisable. */
export interface JournalEntry {
  readonly kind: JournalKind;
  readonly txId?: string;
  readonly sessionId?: string;
  readonly payload: object;
}

/** A stored record: the columns hashed into the chain, plus the hash itself. */
export interface StoredRecord {
  readonly seq: number;
  /** Milliseconds since the Unix epoch, from the journal's Clock. */
  readonly time: number;
  readonly kind: string;
  readonly txId: string | null;
  readonly sessionId: string | null;
  /** The payload as canonical JSON text, exactly as hashed. */
  readonly payload: string;
  readonly hash: string;
}

/** Thrown for a payload that is not plain JSON or an unknown kind. */
export class JournalInputError extends Error {
  override readonly name = 'JournalInputError';
}
