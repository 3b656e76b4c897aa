import { DeviceError } from '../../common/completion.js';
import type { CashItem, Money } from '../../storage/contract.js';
import type { ClassifiedNote } from '../contract.js';
import type {
  AcceptorAdapter,
  AcceptorCondition,
  AcceptorEvent,
  AcceptorIdentity,
  BezelContent,
  CommitRoute,
} from '../escrow-core-adapter.js';
import {
  commands,
  genericResponse,
  parseLevels,
  parseSetup,
  readU64le,
  RESPONSE,
  type DenominationLevel,
} from '../../protocols/essp/commands.js';
import {
  esspKey,
  finishHostExchange,
  startHostExchange,
  type BlockCipherFactory,
} from '../../protocols/essp/encryption.js';
import { parsePollEvents, type EsspEvent } from '../../protocols/essp/events.js';
import type { EsspLink } from './essp-link.js';

/** Outcome of a payout request as the device answers it. */
export type PayoutAnswer = 'ok' | 'notPossible' | 'busy';

/**
 * ITL SMART Payout in eSSP terms: Sync → key exchange → protocol 7 → setup
 * request → escrow mode; polls mapped to model-independent events; payout
 * and levels for the recycler side.
 */
export class EsspAdapter implements AcceptorAdapter {
  readonly protocol = 'essp';
  private channels: readonly CashItem[] = [];

  constructor(
    private readonly link: EsspLink,
    private readonly cipherFor: BlockCipherFactory,
    private readonly random: (n: number) => Uint8Array,
    /** Denominations the driver's recycle units take; every other one is routed to the cashbox. */
    private readonly recycled: readonly CashItem[],
  ) {}

  start(): void {
    this.link.start();
  }

  stop(): void {
    this.link.stop();
  }

  async initialise(): Promise<{ identity: AcceptorIdentity; bezel: BezelContent }> {
    await this.link.sync();
    const exchange = startHostExchange(this.random);
    await this.ok(commands.setGenerator(exchange.generator));
    await this.ok(commands.setModulus(exchange.modulus));
    const reply = await this.ok(commands.requestKeyExchange(exchange.hostInter));
    if (reply.length !== 8) throw new DeviceError('hardwareError', 'bad key exchange reply');
    this.link.setCipher(this.cipherFor(esspKey(finishHostExchange(exchange, readU64le(reply, 0)))));
    await this.ok(commands.hostProtocolVersion(7));
    const setup = parseSetup(await this.ok(commands.setupRequest()));
    if (!setup) throw new DeviceError('hardwareError', 'bad setup reply');
    this.channels = setup.channels.map((c) => ({ currency: c.currency, value: c.value }));
    const serial = await this.ok(commands.serialNumber());
    await this.ok(commands.enablePayout());
    await this.route(true);
    await this.ok(commands.escrowMode(true));
    await this.ok(commands.disable());
    // The Slave Reset queued at power-up belongs to the restart this handshake already handles;
    // Note Held in Bezel tells what nobody took before it.
    const first = parsePollEvents(await this.ok(commands.poll())).events;
    return {
      identity: {
        modelName: 'ITL SMART Payout',
        serialNumber: String(((serial[0]! << 24) | (serial[1]! << 16) | (serial[2]! << 8) | serial[3]!) >>> 0),
        firmware: setup.firmware,
        noteTypes: this.channels,
      },
      bezel: bezelContent(first),
    };
  }

  async poll(): Promise<{ events: AcceptorEvent[]; condition: AcceptorCondition }> {
    const parsed = parsePollEvents(await this.ok(commands.poll()));
    const raw = parsed.events;
    const has = (name: EsspEvent['name']): boolean => raw.some((e) => e.name === name);
    const events: AcceptorEvent[] = [];
    raw.forEach((e, i) => {
      const mapped = this.map(e, raw[i + 1]);
      if (mapped) events.push(mapped);
    });
    return {
      events,
      condition: {
        jammed: has('unsafeJam'),
        cashboxMissing: has('cashboxRemoved'),
        stackerFull: has('stackerFull'),
        bezelOccupied: has('noteHeldInBezel'),
      },
    };
  }

  async setAcceptance(items: readonly CashItem[]): Promise<void> {
    if (items.length === 0) {
      await this.ok(commands.disable());
      return;
    }
    await this.ok(
      commands.setInhibits(
        this.channels.map((c) => items.some((i) => i.currency === c.currency && i.value === c.value)),
      ),
    );
    await this.ok(commands.enable());
  }

  async acceptHead(): Promise<void> {
    // GA138: the next poll after `Read n` accepts the note; nothing to send.
  }

  async refuseHead(): Promise<void> {
    await this.ok(commands.reject());
  }

  async commitEscrow(useRecycleUnits: boolean): Promise<readonly CommitRoute[] | undefined> {
    if (!useRecycleUnits) await this.route(false);
    const reply = await this.link.exchange(commands.commitEscrow());
    if (!useRecycleUnits) await this.route(true);
    if (genericResponse(reply) !== 'ok') return undefined;
    const n = reply[1] ?? 0;
    return Array.from({ length: n }, (_, i) => (reply[3 + 2 * i] === 1 ? 'recycler' : 'cashbox'));
  }

  async returnEscrow(): Promise<void> {
    await this.ok(commands.returnEscrow());
  }

  async reset(): Promise<void> {
    await this.ok(commands.reset());
  }

  async levels(): Promise<DenominationLevel[]> {
    const levels = parseLevels(await this.ok(commands.getAllLevels()));
    if (!levels) throw new DeviceError('hardwareError', 'bad levels reply');
    return levels;
  }

  async payout(amount: number, currency: string, test: boolean): Promise<PayoutAnswer> {
    const reply = await this.link.exchange(commands.payoutAmount(amount, currency, test));
    if (reply[0] === RESPONSE.ok) return 'ok';
    if (reply[0] === RESPONSE.cannotProcess && reply[1] === 0x03) return 'busy';
    return 'notPossible';
  }

  /** SMART Payout float: configured denominations to the payout store (when allowed), the rest to the cashbox. */
  private async route(recycle: boolean): Promise<void> {
    for (const c of this.channels) {
      const toCashbox = !recycle || !this.recycled.some((r) => r.currency === c.currency && r.value === c.value);
      await this.ok(commands.setDenominationRoute(toCashbox, c.value, c.currency));
    }
  }

  /** Sends a command and returns the DATA after F0; anything else is a device error. */
  private async ok(command: Uint8Array): Promise<Uint8Array> {
    const reply = await this.link.exchange(command);
    const generic = genericResponse(reply);
    if (generic !== 'ok')
      throw new DeviceError('hardwareError', `command 0x${command[0]!.toString(16)} answered ${generic ?? 'garbage'}`);
    return reply.subarray(1);
  }

  private map(e: EsspEvent, next: EsspEvent | undefined): AcceptorEvent | undefined {
    const item = (ch: number): CashItem => this.channels[ch - 1] ?? { currency: '', value: 0 };
    const note = (ch: number, classification: ClassifiedNote['classification'], serial: string): ClassifiedNote => ({
      ...item(ch),
      classification,
      ...(serial ? { serialNumber: serial } : {}),
    });
    switch (e.name) {
      case 'slaveReset':
        return { kind: 'restarted' };
      case 'read':
        return e.channel === 0 ? { kind: 'reading' } : { kind: 'noteAtHead', item: item(e.channel) };
      case 'noteEscrowed':
        return { kind: 'escrowed', note: note(e.channel, e.unfit ? 'unfit' : 'fit', e.serial) };
      case 'noteRetained':
        return { kind: 'retained', note: note(e.channel, e.suspect ? 'suspect' : 'counterfeit', e.serial) };
      case 'noteReturned':
        return { kind: 'returned' };
      case 'fraudAttempt':
        // A counterfeit the device keeps is announced by noteRetained right after.
        return next?.name === 'noteRetained' ? undefined : { kind: 'fraudAttempt' };
      case 'dispensed':
        return {
          kind: 'paidOut',
          amount: { currency: e.amounts[0]?.currency ?? '', amount: e.amounts.reduce((s, a) => s + a.value, 0) },
        };
      default:
        return undefined;
    }
  }
}

/** The bezel as Note Held in Bezel reports it: occupied, with the value per currency. */
function bezelContent(events: readonly EsspEvent[]): BezelContent {
  const totals = new Map<string, number>();
  let occupied = false;
  for (const e of events) {
    if (e.name !== 'noteHeldInBezel') continue;
    occupied = true;
    for (const a of e.amounts) totals.set(a.currency, (totals.get(a.currency) ?? 0) + a.value);
  }
  const amounts: Money[] = [...totals].map(([currency, amount]) => ({ currency, amount }));
  return { occupied, amounts };
}
