import type { Intent } from '../../../main/ipc-contract/intents.js';
import type { SessionView } from '../../../main/ipc-contract/view.js';
import { DEMO_CARD, type KioskHarness } from '../../integration/support/kiosk-harness.js';

/** Wall time of each kiosk response in one session, and of the whole session. */
export interface SessionTiming {
  readonly totalMs: number;
  /**
   * Of `totalMs`, the time between the customer's act on a polled device (card
   * taken, notes taken) and the driver's next request to it: the device cannot
   * speak first, so this is its polling cadence, not work.
   */
  readonly pollWaitMs: number;
  readonly steps: ReadonlyMap<string, number>;
}

/** Devices whose protocol is strictly command/reply: the kiosk learns of a customer's act only at its next poll. */
const POLLED = new Set(['cardReader', 'cashDispenser']);

/**
 * A line monitor on the simulators' side of the serial lines: notes when the
 * kiosk's driver next sends anything to a device after the customer acted on it.
 */
export class LineMonitor {
  private readonly armed = new Map<string, (atMs: number) => void>();

  /** For the harness's simulator options. */
  readonly tap = (device: string, fromDriver: Uint8Array): void => {
    const resolve = this.armed.get(device);
    // A lone control byte (ACK, ENQ, NAK) belongs to the exchange in flight, not to a new request.
    if (!resolve || fromDriver.length === 1) return;
    this.armed.delete(device);
    resolve(performance.now());
  };

  /** Resolves with the time of the driver's next request to `device`. */
  nextRequest(device: string): Promise<number> {
    return new Promise((resolve) => this.armed.set(device, resolve));
  }
}

/**
 * A customer who acts the instant the kiosk asks: presses on the simulators'
 * own objects (their developer-API handlers, without HTTP) and speaks to the
 * runtime through the bridge the renderer uses. Where the kiosk's prompt is a
 * device state rather than a screen (PIN pad in PIN mode, notes at the exit,
 * card at the gate), the customer looks at the device on every turn of the
 * event loop.
 */
export class InstantCustomer {
  private steps = new Map<string, number>();
  private pollWaits: Promise<number>[] = [];

  constructor(
    private readonly kiosk: KioskHarness,
    private readonly monitor: LineMonitor,
  ) {}

  /** Card in, fast-cash withdrawal of `amountMinor` without receipt, cash taken, card out. */
  withdraw(amountMinor: number): Promise<SessionTiming> {
    return this.session(async () => {
      await this.step(
        'withdrawal → amounts',
        () => this.choose({ type: 'ui.optionSelected', option: 'menu.withdrawal' }),
        () => this.screen('amount'),
      );
      await this.step(
        'amount → receipt?',
        () => this.choose({ type: 'ui.optionSelected', option: `amount.${amountMinor}` }),
        () => this.screen('receiptQuestion'),
      );
      await this.step(
        'no receipt → confirm',
        () => this.choose({ type: 'ui.optionSelected', option: 'receipt.no' }),
        () => this.screen('confirm'),
      );
      await this.step(
        'confirm → cash presented (host, dispense)',
        () => this.choose({ type: 'ui.confirmed' }),
        async () => {
          await this.screen('takeCash');
          await this.device('cashDispenser', (d) => (d.exit as unknown[]).length > 0);
        },
      );
      await this.step(
        'cash taken → another?',
        () => this.press('cashDispenser', 'takeNotes'),
        () => this.screen('anotherTransaction'),
      );
    });
  }

  /** Card in, balance inquiry, card out. */
  balance(): Promise<SessionTiming> {
    return this.session(async () => {
      await this.step(
        'balance → shown (host)',
        () => this.choose({ type: 'ui.optionSelected', option: 'menu.balance' }),
        () => this.screen('balance'),
      );
      await this.step(
        'balance seen → another?',
        () => this.choose({ type: 'ui.confirmed' }),
        () => this.screen('anotherTransaction'),
      );
    });
  }

  private async session(transaction: () => Promise<void>): Promise<SessionTiming> {
    this.steps = new Map();
    this.pollWaits = [];
    const t0 = performance.now();
    await this.step(
      'card read → language',
      () => this.press('cardReader', 'insertCard', { track2: DEMO_CARD.track2 }),
      () => this.screen('language'),
    );
    await this.step(
      'language → PIN pad armed',
      () => this.choose({ type: 'ui.languageSelected', language: 'zh-CN' }),
      async () => {
        await this.screen('pin');
        await this.device('pinPad', (pad) => pad.mode === 'pin');
      },
    );
    await this.step(
      'PIN → menu',
      () => this.press('pinPad', 'typePin', { digits: DEMO_CARD.pin, enter: true }),
      () => this.screen('menu'),
    );
    await transaction();
    await this.step(
      'no more → card at the gate',
      () => this.choose({ type: 'ui.optionSelected', option: 'another.no' }),
      async () => {
        await this.screen('takeCard');
        await this.device('cardReader', (r) => r.position === 'gate');
      },
    );
    await this.step(
      'card taken → welcome',
      () => this.press('cardReader', 'takeCard'),
      () => this.screen('welcome'),
    );
    const totalMs = performance.now() - t0;
    const pollWaitMs = (await Promise.all(this.pollWaits)).reduce((a, b) => a + b, 0);
    return { totalMs, pollWaitMs, steps: this.steps };
  }

  private async step(name: string, act: () => unknown, answered: () => Promise<unknown>): Promise<void> {
    const t0 = performance.now();
    try {
      await act();
      await answered();
    } catch (err) {
      const recent = this.kiosk.views.slice(-4).map((v) => `${v.screen} ${JSON.stringify(v.data)}`);
      throw new Error(`step "${name}": ${(err as Error).message.slice(0, 200)}; recent views: ${recent.join(' | ')}`);
    }
    this.steps.set(name, performance.now() - t0);
  }

  private press(device: string, action: string, body: unknown = {}): unknown {
    const simulator = this.kiosk.simulators.simulators.get(device);
    if (!simulator) throw new Error(`no simulator ${device}`);
    if (POLLED.has(device)) {
      const actedAt = performance.now();
      this.pollWaits.push(this.monitor.nextRequest(device).then((requestAt) => requestAt - actedAt));
    }
    return simulator.control(action, body);
  }

  private async choose(intent: Intent): Promise<void> {
    const ack = await this.kiosk.intent(intent);
    if (!ack.accepted) throw new Error(`intent ${intent.type} refused: ${JSON.stringify(ack)}`);
  }

  private screen(screen: SessionView['screen']): Promise<SessionView> {
    return this.kiosk.waitForView((v) => v.screen === screen);
  }

  private async device(device: string, ready: (state: Record<string, unknown>) => boolean): Promise<void> {
    const simulator = this.kiosk.simulators.simulators.get(device);
    const deadline = performance.now() + 10_000;
    while (!ready(simulator?.snapshot() as Record<string, unknown>)) {
      if (performance.now() > deadline)
        throw new Error(`${device} never became ready: ${JSON.stringify(simulator?.snapshot())}`);
      await new Promise((r) => setImmediate(r));
    }
  }
}
