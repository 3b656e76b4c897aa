/**
 * Child process for test/integration/journal-durability.test.ts: appends until
 * killed, printing each seq only after `append` (or `appendMany`) returned.
 * Usage: append-child.ts <file> single|batch
 */
import { systemClock } from '../../../drivers/common/clock.js';
import { Journal } from '../../../main/journal/journal.js';

const [file, mode] = process.argv.slice(2);
if (!file) throw new Error('usage: append-child.ts <file> single|batch');
const journal = Journal.open(file, systemClock);
for (let i = 0; ; i++) {
  const entry = { kind: 'device.command', txId: `tx-${i}`, payload: { command: 'Dispense', i, card: '4111111111111111' } } as const;
  if (mode === 'batch') {
    const records = journal.appendMany([entry, { ...entry, kind: 'device.result' }, { ...entry, kind: 'transaction' }]);
    process.stdout.write(`${records.map((r) => r.seq).join('\n')}\n`);
  } else {
    process.stdout.write(`${journal.append(entry).seq}\n`);
  }
}
