/**
 * Where the host link reports what the customer never sees: protocol faults, MAC and key-check
 * failures, reversals. The runtime wires this to the kiosk journal (main/journal); the link only
 * needs `record`. Kinds follow the journal's list ('host.request', 'host.response', 'security',
 * 'recovery'); `payload.event` names the occurrence. Payloads never hold a PAN, PIN block or key.
 */
export interface HostLinkJournal {
  record(kind: string, payload: Record<string, unknown>): void;
}

export const noopJournal: HostLinkJournal = { record: () => undefined };

export interface JournalRecord {
  readonly kind: string;
  readonly payload: Record<string, unknown>;
}

/** Keeps records in memory, for tests and for a kiosk started without a journal. */
export class MemoryJournal implements HostLinkJournal {
  readonly records: JournalRecord[] = [];

  record(kind: string, payload: Record<string, unknown>): void {
    this.records.push({ kind, payload });
  }

  /** Records whose payload.event is `event`. */
  events(event: string): JournalRecord[] {
    return this.records.filter((r) => r.payload['event'] === event);
  }
}
