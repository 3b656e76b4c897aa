import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Database as Db } from 'better-sqlite3';
import { readRecords, toCsv, toJson } from './export.js';
import { JournalTamperedError, pruneJournal } from './prune.js';
import { openJournalDb } from './schema.js';
import { verifyJournal } from './verify.js';

export const EXIT_OK = 0;
export const EXIT_TAMPERED = 1;
export const EXIT_USAGE = 2;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Wall time for the prune anchor's stamp. */
  now(): number;
}

export const USAGE = `usage:
  journal verify <file>
  journal export <file> [--from ISO] [--to ISO] --format csv|json
  journal prune <file> --before ISO
exit codes: 0 ok, 1 tampered, 2 usage error
`;

class UsageError extends Error {}
class DamagedError extends Error {}

function isoArg(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new UsageError(`--${name} must be an ISO 8601 date or time, got ${JSON.stringify(value)}`);
  return ms;
}

function withDb<T>(file: string | undefined, readonly: boolean, use: (db: Db) => T): T {
  if (file === undefined) throw new UsageError('missing <file>');
  if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
  let db: Db;
  try {
    db = openJournalDb(file, { readonly });
  } catch (err) {
    throw new UsageError(`cannot open ${file} as a journal: ${(err as Error).message}`);
  }
  try {
    return use(db);
  } catch (err) {
    // A damaged file is evidence of tampering; a file that is no journal at all is a usage error.
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT')) throw new DamagedError((err as Error).message);
    if (typeof code === 'string' && code.startsWith('SQLITE_')) throw new UsageError(`${file} is not a journal: ${(err as Error).message}`);
    throw err;
  } finally {
    db.close();
  }
}

/** Runs one CLI command; returns the exit code. */
export function runJournalCli(argv: readonly string[], io: CliIo): number {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        format: { type: 'string' },
        before: { type: 'string' },
      },
    });
    const [command, file, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    switch (command) {
      case 'verify':
        return withDb(file, true, (db) => {
          const report = verifyJournal(db);
          if (report.ok) {
            io.stdout(`ok: ${report.records} records, head seq ${report.head.seq} ${report.head.hash}\n`);
            return EXIT_OK;
          }
          io.stdout(`TAMPERED at seq ${report.seq} (${report.table}): ${report.reason}: ${report.detail}\n`);
          return EXIT_TAMPERED;
        });
      case 'export': {
        const format = values.format;
        if (format !== 'csv' && format !== 'json') throw new UsageError('--format must be csv or json');
        const range = { from: isoArg('from', values.from), to: isoArg('to', values.to) };
        return withDb(file, true, (db) => {
          const records = readRecords(db, range);
          io.stdout(format === 'csv' ? toCsv(records) : toJson(records));
          return EXIT_OK;
        });
      }
      case 'prune': {
        const before = isoArg('before', values.before);
        if (before === undefined) throw new UsageError('prune needs --before ISO');
        return withDb(file, false, (db) => {
          const result = pruneJournal(db, before, io.now());
          io.stdout(
            result.anchor
              ? `pruned ${result.pruned} records; anchor seq ${result.anchor.seq} ${result.anchor.hash}\n`
              : 'nothing to prune\n',
          );
          return EXIT_OK;
        });
      }
      default:
        throw new UsageError(command === undefined ? 'missing command' : `unknown command ${JSON.stringify(command)}`);
    }
  } catch (err) {
    if (err instanceof JournalTamperedError) {
      io.stderr(`refusing to prune: ${err.message}\n`);
      return EXIT_TAMPERED;
    }
    if (err instanceof DamagedError) {
      io.stderr(`TAMPERED: the database file is damaged: ${err.message}\n`);
      return EXIT_TAMPERED;
    }
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`${(err as Error).message}\n${USAGE}`);
      return EXIT_USAGE;
    }
    throw err;
  }
}
