import { Buffer } from 'node:buffer';
import {
  Context,
  SCARD_LEAVE_CARD,
  SCARD_PROTOCOL_T0,
  SCARD_PROTOCOL_T1,
  SCARD_SHARE_SHARED,
  SCARD_STATE_CHANGED,
  SCARD_STATE_PRESENT,
  SCARD_STATE_UNAVAILABLE,
  SCARD_STATE_UNKNOWN,
  SCARD_STATE_UNAWARE,
  SCARD_UNPOWER_CARD,
  type CardInterface,
  type ContextInterface,
  type ReaderInterface,
} from 'smartcard';
import { CanceledError } from '../common/completion.js';
import { EventHub, type Unsubscribe } from '../common/events.js';
import type { ApduTransport } from '../common/transport.js';

export type PcscErrorCode = 'serviceUnavailable' | 'readerNotFound' | 'noCard' | 'cardRemoved' | 'notPowered' | 'notOpen' | 'protocol';

/** A PC/SC failure with a code to branch on and a message that says what to do. */
export class PcscTransportError extends Error {
  override readonly name = 'PcscTransportError';
  constructor(
    readonly code: PcscErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface PcscTransportOptions {
  /** Exact PC/SC reader name, e.g. "Virtual PCD 00 00". */
  readonly reader: string;
  /** Longest single wait for a slot change; bounds how long `close` waits for the watcher. */
  readonly pollMs?: number;
  /** For tests: where PC/SC contexts come from. */
  readonly createContext?: () => ContextInterface;
}

interface PcscEvents {
  presence: boolean;
  close: Error | undefined;
}

const PROTOCOLS = SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1;

/** T=0 leaves 61xx/6Cxx to the application layer; more rounds than this means a confused card. */
const MAX_T0_ROUNDS = 32;

/**
 * One smart-card slot through pcsc-lite (`smartcard`, N-API). Two PC/SC
 * contexts: one for the card, one that waits on SCardGetStatusChange, because
 * pcsc-lite serialises the calls of one context and a waiting watcher would
 * otherwise stall every APDU.
 */
export class PcscTransport implements ApduTransport {
  readonly kind = 'pcsc' as const;
  readonly description: string;
  private context: ContextInterface | undefined;
  private watcher: ContextInterface | undefined;
  private watching: Promise<void> | undefined;
  private card: CardInterface | undefined;
  private present = false;
  private readonly hub = new EventHub<PcscEvents>();
  private readonly createContext: () => ContextInterface;

  constructor(private readonly options: PcscTransportOptions) {
    this.description = `pcsc:${options.reader}`;
    this.createContext = options.createContext ?? (() => new Context());
  }

  get isOpen(): boolean {
    return this.context !== undefined;
  }

  /** True while a card sits in the slot (as last reported by pcscd). */
  get cardPresent(): boolean {
    return this.present;
  }

  async open(signal?: AbortSignal): Promise<void> {
    if (this.context) return;
    if (signal?.aborted) throw new CanceledError(`open ${this.description} canceled`);
    const context = this.establish();
    let watcher: ContextInterface | undefined;
    try {
      const reader = this.findReader(context);
      watcher = this.establish();
      this.present = (reader.state & SCARD_STATE_PRESENT) !== 0;
    } catch (err) {
      watcher?.close();
      context.close();
      throw err;
    }
    this.context = context;
    this.watcher = watcher;
    this.watching = this.watch(watcher);
  }

  async close(): Promise<void> {
    await this.shutdown(undefined);
  }

  /**
   * Cold reset: a held card is reconnected with SCARD_UNPOWER_CARD (an async
   * call, so the event loop keeps running while the card powers up); otherwise
   * the slot is connected afresh.
   */
  async powerOn(signal?: AbortSignal): Promise<Uint8Array> {
    const context = this.requireOpen();
    if (signal?.aborted) throw new CanceledError('power on canceled');
    const held = this.card;
    try {
      if (held?.connected) {
        await held.reconnect(SCARD_SHARE_SHARED, PROTOCOLS, SCARD_UNPOWER_CARD);
      } else {
        this.card = await this.findReader(context).connect(SCARD_SHARE_SHARED, PROTOCOLS);
      }
    } catch (err) {
      this.dropCard(SCARD_LEAVE_CARD);
      throw new PcscTransportError('noCard', `no card answers in "${this.options.reader}": ${messageOf(err)}`);
    }
    const card = this.card as CardInterface;
    return new Uint8Array(card.atr ?? card.getStatus().atr);
  }

  /**
   * Unpowers the card and releases it. SCardDisconnect is synchronous and pcscd
   * asks the card for its status afterwards, so a card simulated inside this
   * very process would deadlock: simulators run in their own process.
   */
  async powerOff(): Promise<void> {
    this.dropCard(SCARD_UNPOWER_CARD);
  }

  /** Sends one APDU; answers 61xx (GET RESPONSE) and 6Cxx (re-send with Le) itself. */
  async transmit(apdu: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    this.requireOpen();
    const card = this.card;
    if (!card?.connected) throw new PcscTransportError('notPowered', `no powered card in "${this.options.reader}"; call powerOn first`);
    return transmitT0(async (command) => {
      if (signal?.aborted) throw new CanceledError('APDU exchange canceled');
      try {
        return new Uint8Array(await card.transmit(Buffer.from(command)));
      } catch (err) {
        const removed = !this.present || /removed|reset|no smart card/i.test(messageOf(err));
        throw new PcscTransportError(removed ? 'cardRemoved' : 'protocol', `transmit to "${this.options.reader}" failed: ${messageOf(err)}`);
      }
    }, apdu);
  }

  onPresence(listener: (present: boolean) => void): Unsubscribe {
    return this.hub.on('presence', listener);
  }

  onClose(listener: (reason?: Error) => void): Unsubscribe {
    return this.hub.on('close', listener);
  }

  private establish(): ContextInterface {
    try {
      return this.createContext();
    } catch (err) {
      throw new PcscTransportError(
        'serviceUnavailable',
        `PC/SC service unavailable (${messageOf(err)}): is pcscd installed and running? Start it with "pcscd" or simulators/launcher ensurePcscd()`,
      );
    }
  }

  private findReader(context: ContextInterface): ReaderInterface {
    let readers: ReaderInterface[];
    try {
      readers = context.listReaders();
    } catch (err) {
      readers = [];
      if (!/no readers/i.test(messageOf(err))) {
        throw new PcscTransportError('serviceUnavailable', `listing PC/SC readers failed: ${messageOf(err)}`);
      }
    }
    const reader = readers.find((r) => r.name === this.options.reader);
    if (!reader) {
      const known = readers.map((r) => `"${r.name}"`).join(', ') || 'none';
      throw new PcscTransportError('readerNotFound', `reader "${this.options.reader}" not found (readers: ${known}); for the virtual reader install vsmartcard-vpcd and restart pcscd`);
    }
    return reader;
  }

  private requireOpen(): ContextInterface {
    if (!this.context) throw new PcscTransportError('notOpen', `${this.description} is not open`);
    return this.context;
  }

  /** Follows the slot with SCardGetStatusChange until `close` cancels it. */
  private async watch(watcher: ContextInterface): Promise<void> {
    let known = SCARD_STATE_UNAWARE;
    const pollMs = this.options.pollMs ?? 1000;
    while (this.watcher === watcher) {
      let states;
      try {
        states = await watcher.waitForChange([{ name: this.options.reader, state: known, changed: false, atr: null }], pollMs);
      } catch (err) {
        if (this.watcher === watcher) void this.shutdown(new PcscTransportError('serviceUnavailable', `lost pcscd: ${messageOf(err)}`));
        return;
      }
      if (states === null) return; // canceled by close()
      const state = states[0]?.state;
      if (state === undefined) continue; // poll timeout
      known = state & ~SCARD_STATE_CHANGED;
      if ((state & (SCARD_STATE_UNKNOWN | SCARD_STATE_UNAVAILABLE)) !== 0) {
        void this.shutdown(new PcscTransportError('readerNotFound', `reader "${this.options.reader}" went away`));
        return;
      }
      const present = (state & SCARD_STATE_PRESENT) !== 0;
      if (present !== this.present) {
        this.present = present;
        if (!present) this.dropCard(SCARD_LEAVE_CARD);
        this.hub.emit('presence', present);
      }
    }
  }

  private dropCard(disposition: number): void {
    const card = this.card;
    this.card = undefined;
    if (!card?.connected) return;
    try {
      card.disconnect(disposition);
    } catch {
      // The card is already gone; the handle is released either way.
    }
  }

  private async shutdown(reason: Error | undefined): Promise<void> {
    const { context, watcher, watching } = this;
    if (!context) return;
    this.context = undefined;
    this.watcher = undefined;
    this.watching = undefined;
    this.dropCard(SCARD_LEAVE_CARD);
    watcher?.cancel();
    await watching;
    watcher?.close();
    context.close();
    this.present = false;
    this.hub.emit('close', reason);
  }
}

/**
 * The T=0 conventions of ISO/IEC 7816-4 §5.3.4: 61xx = xx more bytes wait for
 * GET RESPONSE; 6Cxx = wrong Le, send the same command again with Le = xx.
 */
export async function transmitT0(send: (command: Uint8Array) => Promise<Uint8Array>, apdu: Uint8Array): Promise<Uint8Array> {
  const collected: Uint8Array[] = [];
  let command = apdu;
  for (let round = 0; round < MAX_T0_ROUNDS; round++) {
    const response = await send(command);
    if (response.length < 2) throw new PcscTransportError('protocol', `response of ${response.length} bytes has no status word`);
    const sw1 = response[response.length - 2] as number;
    const sw2 = response[response.length - 1] as number;
    if (sw1 === 0x6c) {
      command = withLe(command, sw2);
      continue;
    }
    if (sw1 === 0x61) {
      collected.push(response.subarray(0, response.length - 2));
      command = Uint8Array.of(0x00, 0xc0, 0x00, 0x00, sw2);
      continue;
    }
    return Buffer.concat([...collected, response]);
  }
  throw new PcscTransportError('protocol', `card still asked for GET RESPONSE / a new Le after ${MAX_T0_ROUNDS} rounds`);
}

/** The same command with Le set to `le` (appended after the data or replacing the old Le). */
function withLe(command: Uint8Array, le: number): Uint8Array {
  const lc = command.length > 5 ? (command[4] as number) : 0;
  const body = command.length === 4 || (lc > 0 && command.length === 5 + lc) ? command : command.subarray(0, command.length - 1);
  return Buffer.concat([body, Uint8Array.of(le)]);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
