import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../drivers/common/clock.js';
import type { JournalEntry } from '../../../../main/journal/record.js';
import { TEST_BENCH_OPERATOR } from '../../../../main/runtime/config.js';
import { OperatorAuth } from '../../../../main/runtime/maintenance/operator-auth.js';
import { hashPassword, verifyPassword } from '../../../../main/runtime/maintenance/password-hash.js';

const LOCKOUT_MS = 300_000;

function setup(): { auth: OperatorAuth; clock: ManualClock; journal: JournalEntry[] } {
  const clock = new ManualClock(0);
  const journal: JournalEntry[] = [];
  const auth = new OperatorAuth({ operators: [TEST_BENCH_OPERATOR], maxTries: 3, lockoutMs: LOCKOUT_MS }, clock, (e) =>
    journal.push(e),
  );
  return { auth, clock, journal };
}
const events = (journal: readonly JournalEntry[]) => journal.map((e) => (e.payload as { event: string }).event);

describe('technician passwords', () => {
  it('are salted scrypt hashes that only the same password matches', async () => {
    const a = await hashPassword('246810');
    const b = await hashPassword('246810');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('246810', a)).toBe(true);
    expect(await verifyPassword('246811', a)).toBe(false);
    expect(await verifyPassword('246810', 'scrypt$16384$8$1$AAAA$')).toBe(false);
    expect(await verifyPassword('246810', 'plain:246810')).toBe(false);
  });

  it('match the test bench operator documented in docs/maintenance.md', async () => {
    expect(await verifyPassword('246810', TEST_BENCH_OPERATOR.passwordHash)).toBe(true);
  });
});

describe('operator login', () => {
  it('lets the configured technician in and journals login and logout with the id, never the password', async () => {
    const { auth, journal } = setup();
    expect(await auth.login('tech01', '246810')).toEqual({ outcome: 'ok' });
    expect(auth.operatorId).toBe('tech01');
    auth.logout('exit');
    auth.logout('exit');
    expect(auth.operatorId).toBeUndefined();
    expect(journal).toEqual([
      { kind: 'maintenance', payload: { event: 'operator.login', operatorId: 'tech01' } },
      { kind: 'maintenance', payload: { event: 'operator.logout', operatorId: 'tech01', reason: 'exit' } },
    ]);
    expect(JSON.stringify(journal)).not.toContain('246810');
  });

  it('refuses a wrong password and an unknown id alike, and locks every id out after three in a row', async () => {
    const { auth, clock, journal } = setup();
    expect(await auth.login('tech01', 'wrong')).toEqual({ outcome: 'wrong' });
    expect(await auth.login('nobody', '246810')).toEqual({ outcome: 'wrong' });
    expect(await auth.login('tech01', 'wrong again')).toEqual({ outcome: 'locked', retryAfterMs: LOCKOUT_MS });
    // Locked: even the right password is refused until the lockout ends.
    clock.advance(LOCKOUT_MS - 1_000);
    expect(await auth.login('tech01', '246810')).toEqual({ outcome: 'locked', retryAfterMs: 1_000 });
    clock.advance(1_000);
    expect(await auth.login('tech01', '246810')).toEqual({ outcome: 'ok' });
    expect(events(journal)).toEqual([
      'operator.loginFailed',
      'operator.loginFailed',
      'operator.loginFailed',
      'operator.locked',
      'operator.loginRefused',
      'operator.login',
    ]);
    expect(journal.map((e) => (e.payload as { operatorId: string }).operatorId)).toEqual([
      'tech01',
      'nobody',
      'tech01',
      'tech01',
      'tech01',
      'tech01',
    ]);
    expect(JSON.stringify(journal)).not.toMatch(/wrong|246810/);
  });

  it('starts counting again after a successful login', async () => {
    const { auth } = setup();
    await auth.login('tech01', 'x');
    await auth.login('tech01', 'y');
    expect(await auth.login('tech01', '246810')).toEqual({ outcome: 'ok' });
    expect(await auth.login('tech01', 'z')).toEqual({ outcome: 'wrong' });
  });
});
