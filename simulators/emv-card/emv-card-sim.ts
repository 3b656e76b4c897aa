import { z } from 'zod';
import { systemClock, type Clock, type TimerHandle } from '../../drivers/common/clock.js';
import type { Unsubscribe } from '../../drivers/common/events.js';
import type { ByteTransport } from '../../drivers/common/transport.js';
import { TcpTransport } from '../../drivers/transports/tcp-transport.js';
import { SimulatorControlError, type DeviceSimulator } from '../common/simulator.js';
import { CardProfileSchema, DEFAULT_CARD_PROFILE, type CardProfileInput } from './card-profile.js';
import { EmvApplet } from './emv-applet.js';
import { VpcdLink, VPCD_PORT } from './vpcd-link.js';

export interface EmvCardSimulatorOptions {
  readonly name?: string;
  /** Fields over DEFAULT_CARD_PROFILE. */
  readonly profile?: Partial<CardProfileInput>;
  /** How `insert` reaches the reader; default: TCP client to vpcd on 127.0.0.1:35963 (reader "Virtual PCD 00 00"). */
  readonly connect?: () => ByteTransport;
  /** Paces reconnection to vpcd. */
  readonly clock?: Clock;
}

/** How soon a seated card tries vpcd again after it refused or dropped the connection. */
const RECONNECT_MS = 250;

const ControlSchemas = {
  insert: z.object({}).strict(),
  remove: z.object({}).strict(),
  profile: CardProfileSchema.partial().strict(),
} as const;

/**
 * A virtual EMV chip card in vsmartcard's virtual reader: inserting it opens a
 * TCP connection to pcscd's vpcd driver, removing it closes the connection.
 * A card stays seated while vpcd is away (pcscd restarting, or not up yet)
 * and connects again when it returns, as a real card stays in its reader.
 * Developers and tests drive it through `control` (insert, remove, profile).
 */
export class EmvCardSimulator implements DeviceSimulator {
  readonly name: string;
  readonly applet: EmvApplet;
  private readonly connect: () => ByteTransport;
  private transport: ByteTransport | undefined;
  private link: VpcdLink | undefined;
  private offClose: Unsubscribe | undefined;
  private poweredOn = false;
  private lastError: string | undefined;
  private readonly clock: Clock;
  /** The card is in the reader (connected to vpcd or waiting to be). */
  private seated = false;
  private reconnect: TimerHandle | undefined;

  constructor(options: EmvCardSimulatorOptions = {}) {
    this.name = options.name ?? 'chipCard';
    this.applet = new EmvApplet(CardProfileSchema.parse({ ...DEFAULT_CARD_PROFILE, ...options.profile }));
    this.connect = options.connect ?? (() => new TcpTransport({ host: '127.0.0.1', port: VPCD_PORT }));
    this.clock = options.clock ?? systemClock;
  }

  get inserted(): boolean {
    return this.transport !== undefined;
  }

  /** Puts the card into the reader behind `transport`. */
  async attach(transport: ByteTransport): Promise<void> {
    if (this.transport) throw new Error(`${this.name} is already inserted`);
    this.seated = true;
    await transport.open();
    // Taken out, or connected by another attempt, while this one was opening.
    if (!this.seated || this.transport) {
      await transport.close();
      return;
    }
    this.transport = transport;
    this.link = new VpcdLink(transport, {
      atr: () => this.applet.atr(),
      apdu: (command) => this.applet.handle(command),
      powerOn: () => this.power(true),
      reset: () => this.power(true),
      powerOff: () => this.power(false),
    });
    this.offClose = transport.onClose(() => {
      this.forget();
      this.retryLater();
    });
  }

  /** Takes the card out of the reader. */
  async detach(): Promise<void> {
    this.seated = false;
    if (this.reconnect) this.clock.clearTimeout(this.reconnect);
    this.reconnect = undefined;
    const transport = this.transport;
    this.forget();
    await transport?.close();
  }

  /** Seats the card; resolves once vpcd has it, rejects (still seated, retrying) when vpcd refused. */
  async insert(): Promise<void> {
    if (this.inserted) return;
    try {
      await this.attach(this.connect());
    } catch (err) {
      this.retryLater();
      throw err;
    }
  }

  remove(): Promise<void> {
    return this.detach();
  }

  snapshot(): { inserted: boolean; poweredOn: boolean; atc: number; selectedAid: string | null; pan: string; lastError: string | null } {
    const pan = this.applet.currentProfile.pan;
    return {
      inserted: this.inserted,
      poweredOn: this.poweredOn,
      atc: this.applet.atc,
      selectedAid: this.applet.selectedAid ?? null,
      pan: `${pan.slice(0, 6)}${'*'.repeat(pan.length - 10)}${pan.slice(-4)}`,
      lastError: this.lastError ?? null,
    };
  }

  /** insert {}, remove {} (both asynchronous: watch `inserted`), profile {fields to change}. */
  control(action: string, body: unknown): unknown {
    switch (action) {
      case 'insert':
        parse(ControlSchemas.insert, body);
        this.lastError = undefined;
        void this.insert().catch((err: unknown) => {
          this.lastError = `insert failed: ${String(err)}`;
        });
        break;
      case 'remove':
        parse(ControlSchemas.remove, body);
        void this.remove();
        break;
      case 'profile': {
        const change = parse(ControlSchemas.profile, body);
        const merged = CardProfileSchema.safeParse({ ...this.applet.currentProfile, ...change });
        if (!merged.success) throw new SimulatorControlError(merged.error.message);
        this.applet.replaceProfile(merged.data);
        break;
      }
      default:
        throw new SimulatorControlError(`chip card has no action "${action}"`);
    }
    return this.snapshot();
  }

  private power(on: boolean): void {
    this.poweredOn = on;
    this.applet.reset();
  }

  private retryLater(): void {
    if (!this.seated || this.reconnect) return;
    this.reconnect = this.clock.setTimeout(() => {
      this.reconnect = undefined;
      if (!this.seated || this.inserted) return;
      this.attach(this.connect()).then(
        () => (this.lastError = undefined),
        (err: unknown) => {
          this.lastError = `vpcd unreachable: ${String(err)}`;
          this.retryLater();
        },
      );
    }, RECONNECT_MS);
  }

  private forget(): void {
    this.offClose?.();
    this.link?.stop();
    this.offClose = undefined;
    this.link = undefined;
    this.transport = undefined;
    this.poweredOn = false;
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw new SimulatorControlError(result.error.message);
  return result.data;
}
