import { readFile } from 'node:fs/promises';
import { FAILURES_FILE, type Failure } from './failure-reporter.js';

/**
 * Prints the suite's closing lines from the vitest and Playwright JSON reports
 * (vitest's failures from failure-reporter.ts, which keeps failing hooks too):
 * every failed test, hook or file with the first lines of its message, then
 * `N passed, N failed, N skipped`. They come last so that a CI log cut to its
 * tail still says what failed. Exits non-zero when a report is missing or
 * anything failed, so a suite that ran nothing cannot look green.
 */
interface Outcome {
  passed: number;
  failed: number;
  skipped: number;
  failures: string[];
}

const MESSAGE_LINES = 12;

/** The first lines of a message, indented under its FAILED line; diagnostics in a message come along. */
const firstLines = (text: string | undefined): string =>
  (text ?? '')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, MESSAGE_LINES)
    .map((l, i) => (i === 0 ? l.trim() : `    ${l.trimEnd()}`).slice(0, 300))
    .join('\n');

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

async function vitestOutcome(path: string): Promise<Outcome> {
  const r = JSON.parse(await readFile(path, 'utf8')) as VitestReport;
  const failures = JSON.parse(await readFile(FAILURES_FILE, 'utf8')) as Failure[];
  return {
    passed: r.numPassedTests,
    failed: r.numFailedTests,
    skipped: r.numPendingTests + r.numTodoTests,
    failures: failures.map((f) => `${f.where}: ${firstLines(f.message)}`),
  };
}

interface PlaywrightSuite {
  title: string;
  file?: string;
  specs?: { title: string; ok: boolean; tests: { results: { error?: { message?: string } }[] }[] }[];
  suites?: PlaywrightSuite[];
}

function playwrightFailures(suite: PlaywrightSuite, path: string[]): string[] {
  const here = [...path, suite.title].filter((t) => t !== '');
  const own = (suite.specs ?? [])
    .filter((s) => !s.ok)
    .map((s) => {
      const error = s.tests.flatMap((t) => t.results).find((res) => res.error)?.error?.message;
      return `${[...here, s.title].join(' > ')}: ${firstLines(error)}`;
    });
  return [...own, ...(suite.suites ?? []).flatMap((child) => playwrightFailures(child, here))];
}

async function playwrightOutcome(path: string): Promise<Outcome> {
  const r = JSON.parse(await readFile(path, 'utf8')) as {
    stats: { expected: number; unexpected: number; flaky: number; skipped: number };
    suites: PlaywrightSuite[];
    errors?: { message?: string }[];
  };
  const failures = [
    ...r.suites.flatMap((s) => playwrightFailures(s, [])),
    ...(r.errors ?? []).map((e) => `playwright: ${firstLines(e.message)}`),
  ];
  return {
    passed: r.stats.expected + r.stats.flaky,
    failed: r.stats.unexpected,
    skipped: r.stats.skipped,
    failures,
  };
}

const [vitestPath, playwrightPath] = process.argv.slice(2);
const total: Outcome = { passed: 0, failed: 0, skipped: 0, failures: [] };
let missing = false;
for (const [path, read] of [
  [vitestPath, vitestOutcome],
  [playwrightPath, playwrightOutcome],
] as const) {
  if (!path) continue;
  try {
    const o = await read(path);
    total.passed += o.passed;
    total.failed += o.failed;
    total.skipped += o.skipped;
    total.failures.push(...o.failures);
  } catch (err) {
    missing = true;
    process.stderr.write(`no test report at ${path}: ${(err as Error).message}\n`);
  }
}
for (const f of total.failures) process.stdout.write(`FAILED ${f}\n`);
process.stdout.write(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
process.exit(missing || total.failed > 0 || total.failures.length > 0 || total.passed === 0 ? 1 : 0);
