import { readFile } from 'node:fs/promises';

/**
 * Prints one closing line for the whole suite, `N passed, N failed, N skipped`,
 * from the vitest and Playwright JSON reports; exits non-zero when a report is
 * missing or anything failed, so a suite that ran nothing cannot look green.
 */
interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

async function vitestCounts(path: string): Promise<Counts> {
  const r = JSON.parse(await readFile(path, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
}

async function playwrightCounts(path: string): Promise<Counts> {
  const r = JSON.parse(await readFile(path, 'utf8')) as {
    stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  };
  return { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected, skipped: r.stats.skipped };
}

const [vitestPath, playwrightPath] = process.argv.slice(2);
const total: Counts = { passed: 0, failed: 0, skipped: 0 };
let missing = false;
for (const [path, read] of [
  [vitestPath, vitestCounts],
  [playwrightPath, playwrightCounts],
] as const) {
  if (!path) continue;
  try {
    const c = await read(path);
    total.passed += c.passed;
    total.failed += c.failed;
    total.skipped += c.skipped;
  } catch (err) {
    missing = true;
    process.stderr.write(`no test report at ${path}: ${(err as Error).message}\n`);
  }
}
process.stdout.write(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
process.exit(missing || total.failed > 0 || total.passed === 0 ? 1 : 0);
