import type { Database as Db } from 'better-sqlite3';
import type { StoredRecord } from './record.js';
import { ARCHIVE_TABLE, LIVE_TABLE, RECORD_COLUMNS } from './schema.js';

export interface TimeRange {
  /** Inclusive, ms since the epoch. */
  readonly from?: number;
  /** Exclusive, ms since the epoch. */
  readonly to?: number;
}

/** Records stamped within `range`, archived and live alike, in seq order. */
export function readRecords(db: Db, range: TimeRange = {}): StoredRecord[] {
  const from = range.from ?? Number.MIN_SAFE_INTEGER;
  const to = range.to ?? Number.MAX_SAFE_INTEGER;
  const select = (table: string): string => `SELECT ${RECORD_COLUMNS} FROM ${table} WHERE time >= @from AND time < @to`;
  return db
    .prepare(`${select(ARCHIVE_TABLE)} UNION ALL ${select(LIVE_TABLE)} ORDER BY seq`)
    .all({ from, to }) as StoredRecord[];
}

const CSV_HEADER = ['seq', 'time', 'kind', 'txId', 'sessionId', 'payload', 'hash'];

/** RFC 4180: a field with a comma, quote, CR or LF is quoted, and its quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const isoTime = (ms: number): string => new Date(ms).toISOString();

/** CSV per RFC 4180: a header line, CRLF line ends, the payload as its JSON text. */
export function toCsv(records: readonly StoredRecord[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const r of records) {
    const fields = [String(r.seq), isoTime(r.time), r.kind, r.txId ?? '', r.sessionId ?? '', r.payload, r.hash];
    lines.push(fields.map(csvField).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** A JSON array, one record per line, the payload as JSON rather than text. */
export function toJson(records: readonly StoredRecord[]): string {
  const items = records.map((r) =>
    JSON.stringify({
      seq: r.seq,
      time: isoTime(r.time),
      kind: r.kind,
      txId: r.txId,
      sessionId: r.sessionId,
      payload: JSON.parse(r.payload) as unknown,
      hash: r.hash,
    }),
  );
  return items.length === 0 ? '[]\n' : `[\n${items.join(',\n')}\n]\n`;
}
