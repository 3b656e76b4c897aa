import { systemClock } from '../../drivers/common/clock.js';
import { runJournalCli } from './commands.js';

/** `tsx main/journal/cli.ts verify|export|prune <file> …` — see docs/journal.md. */
process.exitCode = runJournalCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  now: () => systemClock.now(),
});
