import type { Journal } from '../journal/journal.js';
import type { JournalEntry } from '../journal/record.js';

/**
 * Fault injection for the kill tests: with KIOSK_CRASH_AFTER_EVENT=<event>[#n]
 * the process SIGKILLs itself right after the n-th journal record whose
 * payload.event is <event> is committed — a power cut at exactly that step.
 * Without the variable the journal is returned untouched.
 */
export function withCrashInjection(journal: Journal, spec: string | undefined): Journal {
  if (!spec) return journal;
  const [event, nth = '1'] = spec.split('#');
  let remaining = Number(nth);
  const hit = (entry: JournalEntry): boolean =>
    (entry.payload as { event?: unknown }).event === event && --remaining === 0;
  const append = journal.append.bind(journal);
  journal.append = (entry) => {
    const stored = append(entry);
    if (hit(entry)) process.kill(process.pid, 'SIGKILL');
    return stored;
  };
  // A noted record is committed by a later flush: cut the power right after that one.
  const note = journal.note.bind(journal);
  journal.note = (entry) => {
    note(entry);
    if (!hit(entry)) return;
    journal.flush();
    process.kill(process.pid, 'SIGKILL');
  };
  return journal;
}
