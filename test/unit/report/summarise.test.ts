import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../..', import.meta.url));
let dir: string;
let summary: { code: number; stdout: string };

/*
 * The suite's last lines as CI shows them: a real vitest run of a fixture
 * with a failing hook and a failing test, through failure-reporter.ts, then
 * summarise.ts.
 */
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'summarise-'));
  const vitest = join(repo, 'node_modules/.bin/vitest');
  await run(
    vitest,
    [
      'run',
      '--config',
      join(repo, 'test/report/fixtures/vitest.config.ts'),
      '--reporter=json',
      `--outputFile.json=${join(dir, 'test-results/vitest.json')}`,
      `--reporter=${join(repo, 'test/report/failure-reporter.ts')}`,
    ],
    { cwd: dir },
  ).catch(() => undefined); // it fails, as it should
  const tsx = join(repo, 'node_modules/.bin/tsx');
  summary = await run(tsx, [join(repo, 'test/report/summarise.ts'), 'test-results/vitest.json'], { cwd: dir }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
  );
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('names a failing hook with every line of its message, and a failing assertion', () => {
  const lines = summary.stdout.trimEnd().split('\n');
  expect(lines.at(-1)).toBe('1 passed, 1 failed, 1 skipped');
  expect(summary.stdout).toMatch(
    /^FAILED failing\.fixture\.ts > a block whose hook fails: (Error: )?the hook failed$/m,
  );
  expect(summary.stdout).toMatch(/^ {4}why: a second line that must reach the log$/m);
  expect(summary.stdout).toMatch(/^FAILED failing\.fixture\.ts > fails an assertion: .*expected 2 to be 3/m);
});

it('exits non-zero when anything failed', () => {
  expect(summary.code).toBe(1);
});
