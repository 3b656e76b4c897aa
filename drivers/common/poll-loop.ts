import type { Clock, TimerHandle } from './clock.js';

/**
 * A device's status poll: one poll at a time, the next `interval()` ms after
 * the last one ended. The interval is asked anew each time, so a driver can
 * poll faster while the customer is about to act (a card at the gate, notes
 * in the exit) and call `rearm` when that starts, rather than wait out what
 * is left of the slow period.
 */
export class PollLoop {
  private timer: TimerHandle | undefined;
  private polling = false;
  private stopped = true;

  constructor(
    private readonly clock: Clock,
    private readonly interval: () => number,
    /** One poll; must not reject (a driver counts its own missed polls). */
    private readonly poll: () => Promise<void>,
  ) {}

  /** Starts polling; a loop already running goes on as it is (a reopen does not start a second one). */
  start(): void {
    this.stopped = false;
    if (this.timer === undefined && !this.polling) this.arm();
  }

  stop(): void {
    this.stopped = true;
    this.disarm();
  }

  /** The cadence changed: wait the new interval from now (a poll under way re-arms when it ends). */
  rearm(): void {
    if (this.stopped || this.polling) return;
    this.disarm();
    this.arm();
  }

  private arm(): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.polling = true;
      void this.poll().finally(() => {
        this.polling = false;
        this.arm();
      });
    }, this.interval());
  }

  private disarm(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
