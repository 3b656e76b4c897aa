import { Buffer } from 'node:buffer';
import type { Db } from '../link/db.js';
import type { StorageCipher } from '../link/storage-cipher.js';

/** An original request as a reversal keeps it: its MTI and text fields by number. */
export type Original = { readonly mti: string; readonly fields: Readonly<Record<string, string>> };

/**
 * Cardholder data a reversal repeats: the PAN (DE2, and DE102, which carries the card's account on
 * transfers), the expiry (DE14) and the payee's account (DE103). Kept only sealed (AES-256-GCM).
 */
const SEALED_FIELDS: ReadonlySet<string> = new Set(['2', '14', '102', '103']);
const LIVE = `('prepared', 'owed', 'sent')`;
/** `PRAGMA user_version` of a link file whose cardholder fields are all sealed (0: an older version's file). */
const SEALED_FORMAT = 1;

function partition(fields: Readonly<Record<string, string>>): [Record<string, string>, Record<string, string>] {
  const clear: Record<string, string> = {};
  const secret: Record<string, string> = {};
  for (const [id, value] of Object.entries(fields)) (SEALED_FIELDS.has(id) ? secret : clear)[id] = value;
  return [clear, secret];
}

/** Binds a sealed value to its original (MTI, STAN, DE7, terminal), so it opens on no other row. */
function aadOf(kept: Original): Buffer {
  const f = kept.fields;
  return Buffer.from(`reversal|${kept.mti}|${f[11] ?? ''}|${f[7] ?? ''}|${f[41] ?? ''}`, 'ascii');
}

/** A reversal's cardholder fields, sealed apart from the rest of its row under the link's data key. */
export class CardholderFields {
  constructor(private readonly cipher: StorageCipher) {}

  /** The fields that may stay readable, and the others sealed (null when there are none). */
  seal(original: Original): { kept: Original; sealed: Buffer | null } {
    const [clear, secret] = partition(original.fields);
    const kept: Original = { mti: original.mti, fields: clear };
    if (Object.keys(secret).length === 0) return { kept, sealed: null };
    return { kept, sealed: this.cipher.seal(Buffer.from(JSON.stringify(secret), 'utf8'), aadOf(kept)) };
  }

  /** The whole original again. Throws StorageKeyError when the data key is locked or `sealed` belongs elsewhere. */
  open(kept: Original, sealed: Uint8Array | null): Original {
    if (sealed === null) return kept;
    const secret = JSON.parse(this.cipher.open(sealed, aadOf(kept)).toString('utf8')) as Record<string, string>;
    return { mti: kept.mti, fields: { ...kept.fields, ...secret } };
  }
}

/** Only the fields that may be shown (an older version's live row still holds the others in clear). */
export function readable(original: Original): Original {
  return { mti: original.mti, fields: partition(original.fields)[0] };
}

/**
 * Converts a link file an older version wrote, which kept the cardholder fields in clear. Finished
 * reversals lose them at once (`convertFinished`, no key needed); live ones are sealed once the data
 * key is unlocked (`convertLive`). Then the file is rebuilt (VACUUM, WAL truncated), so no free page
 * or WAL frame keeps an old clear value, and marked converted.
 */
export class OlderFileConversion {
  #rewritten = false;

  constructor(private readonly db: Db) {}

  get done(): boolean {
    return (this.db.pragma('user_version', { simple: true }) as number) >= SEALED_FORMAT;
  }

  convertFinished(): void {
    if (this.done) return;
    this.#rewrite(`state NOT IN ${LIVE}`, null);
    const live = this.db.prepare(`SELECT count(*) AS n FROM reversals WHERE state IN ${LIVE}`).get() as { n: number };
    if (live.n === 0) this.#finish();
  }

  convertLive(fields: CardholderFields): void {
    if (this.done) return;
    this.#rewrite(`state IN ${LIVE} AND sealed IS NULL`, fields);
    this.#finish();
  }

  /** Takes the cardholder fields out of the rows matching `where`: sealed apart, or dropped when `fields` is null. */
  #rewrite(where: string, fields: CardholderFields | null): void {
    const rows = this.db.prepare(`SELECT id, original FROM reversals WHERE ${where}`).all() as {
      id: number;
      original: string;
    }[];
    const update = this.db.prepare(`UPDATE reversals SET original = ?, sealed = ? WHERE id = ?`);
    this.db.transaction(() => {
      for (const row of rows) {
        const original = JSON.parse(row.original) as Original;
        const kept = readable(original);
        if (Object.keys(kept.fields).length === Object.keys(original.fields).length) continue;
        update.run(JSON.stringify(kept), fields === null ? null : fields.seal(original).sealed, row.id);
        this.#rewritten = true;
      }
    })();
  }

  #finish(): void {
    if (this.#rewritten) this.db.exec('VACUUM');
    this.db.pragma(`user_version = ${SEALED_FORMAT}`);
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}
