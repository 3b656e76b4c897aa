import type { Clock, TimerHandle } from '../../../drivers/common/clock.js';
import type { Unsubscribe } from '../../../drivers/common/events.js';
import { HostLinkError } from '../link/errors.js';
import type { HostLink } from '../link/host-link.js';
import { noopJournal, type HostLinkJournal } from '../link/journal.js';
import { reversalMessage } from './message.js';
import type { ReversalQueue, ReversalRecord } from './queue.js';

export interface ReversalSenderOptions {
  readonly link: HostLink;
  readonly queue: ReversalQueue;
  readonly clock: Clock;
  readonly journal?: HostLinkJournal;
  /** Wait for a 0430 (default: the link's response timeout). */
  readonly responseMs?: number;
  /** Backoff between attempts: doubles from first to max (defaults 5 s, 5 min). */
  readonly backoffFirstMs?: number;
  readonly backoffMaxMs?: number;
}

/**
 * Store-and-forward of owed reversals: strictly oldest first, one at a time, whenever the link is
 * signed on. Any 0430 acknowledges (the host holds the reversal, whatever its DE39). An unanswered
 * attempt waits out the backoff on the Clock and goes again as 0421. The next attempt's time is
 * persisted before each send, so a restart neither loses nor hurries a reversal.
 */
export class ReversalSender {
  readonly #o: ReversalSenderOptions;
  readonly #journal: HostLinkJournal;
  #running = false;
  #again = false;
  #timer: TimerHandle | null = null;
  /** Consecutive failures to open the head reversal's cardholder fields. */
  #unreadable = 0;
  #subscriptions: Unsubscribe[] = [];

  constructor(options: ReversalSenderOptions) {
    this.#o = options;
    this.#journal = options.journal ?? noopJournal;
  }

  start(): void {
    if (this.#subscriptions.length > 0) return;
    this.#subscriptions = [this.#o.link.onSignedOn(() => this.kick()), this.#o.queue.onOwed(() => this.kick())];
    this.kick();
  }

  stop(): void {
    for (const off of this.#subscriptions) off();
    this.#subscriptions = [];
    this.#clearTimer();
  }

  /** Sends what is due now; safe to call at any time. */
  kick(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    void this.#drain()
      .catch((err: unknown) => this.#journal.record('recovery', { event: 'reversalSenderError', error: String(err) }))
      .finally(() => {
        this.#running = false;
        if (this.#again) {
          this.#again = false;
          this.kick();
        }
      });
  }

  #backoff(attempts: number): number {
    const first = this.#o.backoffFirstMs ?? 5_000;
    return Math.min(first * 2 ** Math.max(0, attempts - 1), this.#o.backoffMaxMs ?? 300_000);
  }

  async #drain(): Promise<void> {
    const { link, queue, clock } = this.#o;
    this.#clearTimer();
    while (link.up && this.#subscriptions.length > 0) {
      const head = queue.outstanding()[0];
      if (head === undefined) return;
      const now = clock.now();
      if (head.nextAttemptAt > now) {
        this.#timer = clock.setTimeout(() => this.kick(), head.nextAttemptAt - now);
        return;
      }
      let original: ReversalRecord['original'];
      try {
        original = await queue.openOriginal(head);
      } catch (err) {
        // Without its DE2 the reversal cannot go (the data key is locked): try again on the backoff.
        this.#unreadable++;
        this.#journal.record('recovery', { event: 'reversalUnreadable', id: head.id, error: String(err) });
        this.#timer = clock.setTimeout(() => this.kick(), this.#backoff(this.#unreadable));
        return;
      }
      this.#unreadable = 0;
      if (!(await this.#attempt({ ...head, original }, now))) {
        // Wait for the backoff (or the next sign-on) before trying any reversal again: order matters.
        const next = queue.get(head.id);
        if (next !== undefined && link.up)
          this.#timer = clock.setTimeout(() => this.kick(), Math.max(0, next.nextAttemptAt - clock.now()));
        return;
      }
    }
  }

  /** `record` carries the opened original (cardholder fields included). */
  async #attempt(record: ReversalRecord, now: number): Promise<boolean> {
    const { link, queue } = this.#o;
    const stan = record.stan ?? link.sequences.nextStan();
    const message = reversalMessage(record, stan, now);
    queue.recordAttempt(record.id, stan, now + this.#backoff(record.attempts + 1));
    const facts = {
      id: record.id,
      mti: message.mti,
      stan,
      originalStan: record.original.fields[11],
      reason: record.reason,
    };
    try {
      const response = await link.request(
        message,
        this.#o.responseMs === undefined ? {} : { timeoutMs: this.#o.responseMs },
      );
      queue.acknowledge(record.id);
      this.#journal.record('recovery', {
        event: 'reversalAcknowledged',
        ...facts,
        responseCode: response.fields.get(39),
      });
      return true;
    } catch (err) {
      this.#journal.record('recovery', {
        event: 'reversalUnanswered',
        ...facts,
        error: err instanceof HostLinkError ? err.code : String(err),
      });
      return false;
    }
  }

  #clearTimer(): void {
    if (this.#timer !== null) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = null;
  }
}
