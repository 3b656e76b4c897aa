import type { Journal } from '../journal/journal.js';
import type { JournalEntry } from '../journal/record.js';
import type { Logger } from './logger.js';

/** Records to the journal from event handlers, where a throw must not escape. */
export type RecordJournal = (entry: JournalEntry) => void;

/**
 * Wraps the journal for callers that cannot handle a failure (status
 * listeners, renderer frames, observations after the fact). Their records
 * gate nothing, so they are noted (group-committed) rather than appended. A
 * refused payload is already journaled by the journal itself as a 'security'
 * record; any other failure is logged loudly. Steps that move cash or cards
 * call `journal.append` directly instead, so a failed append stops them
 * before the device acts.
 */
export function journalRecorder(journal: Journal, log: Logger): RecordJournal {
  journal.onFlushError = (err) => log.error({ error: err.message }, 'journal group commit failed; the notes wait for the next commit');
  return (entry) => {
    try {
      journal.note(entry);
    } catch (err) {
      log.error({ kind: entry.kind, error: (err as Error).message }, 'journal append failed');
    }
  };
}
