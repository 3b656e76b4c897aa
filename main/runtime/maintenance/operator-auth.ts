import type { Clock } from '../../../drivers/common/clock.js';
import type { LoginResult, LogoutReason } from '../../../state-machines/maintenance/types.js';
import type { MaintenanceConfig } from '../config.js';
import type { RecordJournal } from '../journal-recorder.js';
import { verifyPassword } from './password-hash.js';

/**
 * A hash no password is known for: an unknown operator id is checked against
 * it, so the time a refusal takes does not tell which ids exist.
 */
const UNKNOWN_OPERATOR_HASH = 'scrypt$16384$8$1$R7rwGOuBuFk9jn2qO63Rtg==$o/0c5ZFtN8+g7Uav5LRkZE6KwR+a4f5vNOL5Suloa8o=';

/**
 * Technician login for supervisor mode: the password against the configured
 * salted hash, a terminal-wide lockout after `maxTries` wrong passwords in a
 * row (whatever the id, so trying many ids gains nothing), and a journal
 * record with the operator id for every login, failure, lockout and logout.
 * The password itself goes nowhere but into scrypt.
 */
export class OperatorAuth {
  private failures = 0;
  private lockedUntil = Number.NEGATIVE_INFINITY;
  private current: string | undefined;

  constructor(
    private readonly config: Pick<MaintenanceConfig, 'operators' | 'maxTries' | 'lockoutMs'>,
    private readonly clock: Clock,
    private readonly record: RecordJournal,
  ) {}

  /** The technician signed in now, if any. */
  get operatorId(): string | undefined {
    return this.current;
  }

  async login(operatorId: string, password: string): Promise<LoginResult> {
    const remaining = this.lockedUntil - this.clock.monotonic();
    if (remaining > 0) {
      this.journal('operator.loginRefused', { operatorId, reason: 'locked' });
      return { outcome: 'locked', retryAfterMs: Math.ceil(remaining) };
    }
    const operator = this.config.operators.find((o) => o.id === operatorId);
    const matches = await verifyPassword(password, operator?.passwordHash ?? UNKNOWN_OPERATOR_HASH);
    if (operator && matches) {
      this.failures = 0;
      this.current = operatorId;
      this.journal('operator.login', { operatorId });
      return { outcome: 'ok' };
    }
    this.failures += 1;
    this.journal('operator.loginFailed', { operatorId, failures: this.failures });
    if (this.failures < this.config.maxTries) return { outcome: 'wrong' };
    this.failures = 0;
    this.lockedUntil = this.clock.monotonic() + this.config.lockoutMs;
    this.journal('operator.locked', { operatorId, lockoutMs: this.config.lockoutMs });
    return { outcome: 'locked', retryAfterMs: this.config.lockoutMs };
  }

  /** Ends the technician's session; nothing to do when nobody is signed in. */
  logout(reason: LogoutReason): void {
    if (this.current === undefined) return;
    this.journal('operator.logout', { operatorId: this.current, reason });
    this.current = undefined;
  }

  private journal(event: string, payload: object): void {
    this.record({ kind: 'maintenance', payload: { event, ...payload } });
  }
}
