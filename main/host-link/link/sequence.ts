import type { Clock } from '../../../drivers/common/clock.js';
import type { Db } from './db.js';

const STAN_MAX = 999_999;

/**
 * DE11 and DE37 numbering, persisted in the link's SQLite file so a restart never reuses a STAN
 * the host may still hold (a duplicate would be answered 94, or match the wrong reversal).
 * STANs run 000001..999999 and wrap to 000001. The RRN is derived (ISO practice): last digit of
 * the year, day of the year, hour — all local — then the STAN, so it is unique while the STAN is.
 */
export class Sequences {
  readonly #next: () => number;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly utcOffsetMinutes: number,
  ) {
    db.prepare(`INSERT OR IGNORE INTO counters (name, value) VALUES ('stan', 0)`).run();
    const bump = db.prepare(`UPDATE counters SET value = value % ${STAN_MAX} + 1 WHERE name = 'stan' RETURNING value`);
    this.#next = () => (bump.get() as { value: number }).value;
  }

  /** The next STAN as six digits; committed before it is returned. */
  nextStan(): string {
    return String(this.#next()).padStart(6, '0');
  }

  /** RRN (an12) for a request numbered `stan`. */
  rrn(stan: string): string {
    const local = new Date(this.clock.now() + this.utcOffsetMinutes * 60_000);
    const startOfYear = Date.UTC(local.getUTCFullYear(), 0, 1);
    const day = Math.floor((local.getTime() - startOfYear) / 86_400_000) + 1;
    const hour = String(local.getUTCHours()).padStart(2, '0');
    return `${local.getUTCFullYear() % 10}${String(day).padStart(3, '0')}${hour}${stan}`;
  }
}
