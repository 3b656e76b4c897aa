import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/** One failure: where it happened and its whole message. */
export interface Failure {
  where: string;
  message: string;
}

export const FAILURES_FILE = 'test-results/vitest-failures.json';

type RunEnd = NonNullable<Reporter['onTestRunEnd']>;

/**
 * Writes every vitest failure with its whole message: failed tests, and also
 * failing hooks and imports, whose messages vitest's JSON report leaves out
 * (it keeps only a file's own errors, not a describe block's beforeAll).
 * test/report/summarise.ts prints them at the end of the log.
 */
export default class FailureReporter implements Reporter {
  onTestRunEnd(...[modules, unhandled]: Parameters<RunEnd>): void {
    const failures: Failure[] = [];
    const add = (where: string, errors: readonly { message?: string }[]): void => {
      for (const e of errors) failures.push({ where, message: e.message ?? '(no message)' });
    };
    for (const module of modules as readonly TestModule[]) {
      const file = module.relativeModuleId;
      add(file, module.errors());
      for (const suite of module.children.allSuites()) add(`${file} > ${suite.fullName}`, suite.errors());
      for (const test of module.children.allTests('failed'))
        add(`${file} > ${test.fullName}`, test.result().errors ?? []);
    }
    add('outside any test file', unhandled);
    mkdirSync(dirname(FAILURES_FILE), { recursive: true });
    writeFileSync(FAILURES_FILE, JSON.stringify(failures, null, 2));
  }
}
