import type { DispenseOutcome, NoteErrorReason } from './contract.js';
import type { DeviceTransaction } from './dispenser-core-adapter.js';

/**
 * The transaction record both simulated models return through their vendor
 * extension (LCDM 0x75, F56 E0 07), as `KEY=value` pairs joined by `;`:
 * `ID=7;ST=S;INT=0;REQ=2,1,0,0;PICK=2,2,0,0;REJ=0,1,0,0;RR=2D;NOTES=1AB12345678,…;PRES=0;RET=0;TOK=-;T0=…;T1=…`.
 * Cassettes are 1-based on the wire; RR lists `<cassette><reason letter>`,
 * NOTES `<cassette><serial>`; TOK is the authorising token's HMAC or `-`.
 * An empty record means the device never dispensed.
 */

export class RecordFormatError extends Error {
  override readonly name = 'RecordFormatError';
}

const STAGES: Readonly<Record<string, DispenseOutcome>> = {
  D: 'dispensing',
  S: 'stacked',
  P: 'presented',
  T: 'taken',
  R: 'retracted',
  J: 'rejected',
};
const REASONS: Readonly<Record<string, NoteErrorReason>> = {
  D: 'doubleNote',
  L: 'longNote',
  S: 'shortNote',
  K: 'skewedNote',
  C: 'notesTooClose',
  O: 'otherNoteError',
};
const KEYS = ['ID', 'ST', 'INT', 'REQ', 'PICK', 'REJ', 'RR', 'NOTES', 'PRES', 'RET', 'TOK', 'T0', 'T1'] as const;

function integer(text: string | undefined, what: string): number {
  if (text === undefined || !/^[0-9]{1,15}$/.test(text)) throw new RecordFormatError(`${what} is not a count`);
  return Number(text);
}

function list(text: string | undefined, what: string, cassettes: number): number[] {
  const parts = (text ?? '').split(',');
  if (parts.length !== cassettes) throw new RecordFormatError(`${what} needs ${cassettes} counts`);
  return parts.map((p) => integer(p, what));
}

function cassetteOf(entry: string, cassettes: number, what: string): number {
  const n = Number(entry[0]);
  if (!Number.isInteger(n) || n < 1 || n > cassettes) throw new RecordFormatError(`${what} names no cassette`);
  return n - 1;
}

export function parseTransactionRecord(text: string, cassettes: number): DeviceTransaction | undefined {
  if (text === '') return undefined;
  const fields = new Map<string, string>();
  for (const pair of text.split(';')) {
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq);
    if (eq < 0 || !(KEYS as readonly string[]).includes(key) || fields.has(key)) {
      throw new RecordFormatError(`bad field "${pair.slice(0, 8)}"`);
    }
    fields.set(key, pair.slice(eq + 1));
  }
  const stage = STAGES[fields.get('ST') ?? ''];
  if (!stage) throw new RecordFormatError('unknown stage');
  const split = (key: string): string[] => (fields.get(key) ? (fields.get(key) as string).split(',') : []);
  const rejectReasons = split('RR').map((entry) => {
    const reason = REASONS[entry.slice(1)];
    if (entry.length !== 2 || !reason) throw new RecordFormatError('bad reject reason');
    return { cassette: cassetteOf(entry, cassettes, 'RR'), reason };
  });
  const notes = split('NOTES').map((entry) => {
    const serial = entry.slice(1);
    if (!/^[A-Z0-9]{0,20}$/.test(serial)) throw new RecordFormatError('bad serial number');
    return { cassette: cassetteOf(entry, cassettes, 'NOTES'), ...(serial === '' ? {} : { serialNumber: serial }) };
  });
  const token = fields.get('TOK');
  if (token === undefined || !/^(-|[0-9A-F]{64})$/.test(token)) throw new RecordFormatError('bad token id');
  const interrupted = fields.get('INT');
  if (interrupted !== '0' && interrupted !== '1') throw new RecordFormatError('INT must be 0 or 1');
  return {
    dispenseId: integer(fields.get('ID'), 'ID'),
    stage,
    interrupted: interrupted === '1',
    requested: list(fields.get('REQ'), 'REQ', cassettes),
    picked: list(fields.get('PICK'), 'PICK', cassettes),
    rejected: list(fields.get('REJ'), 'REJ', cassettes),
    rejectReasons,
    notes,
    presented: integer(fields.get('PRES'), 'PRES'),
    retracted: integer(fields.get('RET'), 'RET'),
    ...(token === '-' ? {} : { tokenId: token }),
    startedAt: integer(fields.get('T0'), 'T0'),
    updatedAt: integer(fields.get('T1'), 'T1'),
  };
}
