import { EventHub, type Unsubscribe } from '../../drivers/common/events.js';
import type { ByteTransport } from '../../drivers/common/transport.js';
import { SimulatorControlError, type DeviceSimulator } from '../common/simulator.js';
import { SimulatorLine } from '../common/simulator-line.js';
import { ControlSchemas, parseControl, type FaultBody, type InsertCardBody } from './control.js';
import { ACK_BYTE, NAK_BYTE, WireReader, buildFrame, type WireEvent } from './wire.js';

/** Where the simulated card is; `retained` = in the bin (the reader is empty). */
export type CardPosition = 'none' | 'entering' | 'gate' | 'inside' | 'ic' | 'retained';
type CardDefect = 'tooShort' | 'tooLong' | 'badCard';

interface LoadedCard {
  readonly tracks: readonly [string | undefined, string | undefined, string | undefined];
  readonly chip: boolean;
  readonly defect: CardDefect | undefined;
}

const ch = (c: string): number => c.charCodeAt(0);
const ascii = (s: string): number[] => Array.from(s, ch);
const POSITIVE = ch('P');
const NEGATIVE = ch('N');
const TRACK_SEPARATOR = 0x7e;
/** Line noise with a stray frame start announcing 64 bytes, then the real reply. No control bytes. */
const GARBAGE = [0x00, 0xff, 0x7e, 0xf2, 0x00, 0x00, 0x40, 0x31, 0x32];
/** st0 per position: '0' no card, '1' at the gate, '2' inside. */
const ST0: Readonly<Record<CardPosition, string>> = {
  none: '0',
  retained: '0',
  entering: '1',
  gate: '1',
  inside: '2',
  ic: '2',
};
/** `C 1 1` sensor data: PD1 (gate) … PD5 (rear), IC contacts. */
const SENSORS: Readonly<Record<CardPosition, string>> = {
  none: '000000',
  retained: '000000',
  entering: '100000',
  gate: '100000',
  inside: '011100',
  ic: '001111',
};
const IN_READER: ReadonlySet<CardPosition> = new Set(['gate', 'inside', 'ic']);
const DEFAULT_COUNTS: Readonly<Record<'nakStorm' | 'noAnswer' | 'garbage' | 'corruptReply', number>> = {
  // One more NAK than the driver's three resends, so the command fails.
  nakStorm: 4,
  noAnswer: 1,
  garbage: 1,
  corruptReply: 1,
};

interface SimEvents {
  chipContact: boolean;
}

/**
 * Device side of a Creator CRT-310-class motorised reader: card transport with
 * gate, IC and RF positions, a retain bin, track and chip flags of the loaded
 * card, and fault injection for every documented error plus link faults.
 * Motion completes at once; the host sees it through ACK/ENQ and status polls.
 */
export class CreatorCardReaderSimulator implements DeviceSimulator {
  private readonly wire = new WireReader();
  private readonly hub = new EventHub<SimEvents>();
  private readonly line = new SimulatorLine((chunk) => this.receive(chunk));
  private position: CardPosition = 'none';
  private card: LoadedCard | undefined;
  private entryEnabled = false;
  private jammed = false;
  private chipContact = false;
  private poweredOn = true;
  private retainCount = 0;
  private retainCapacity = 50;
  /** An event to report on the next status request (a refused card). */
  private latchedError: string | undefined;
  private lastReply: number[] | undefined;
  private readonly link = { nakStorm: 0, noAnswer: 0, garbage: 0, corruptReply: 0 };
  private nextDefect: CardDefect | undefined;
  private pullDuringEject = false;
  private replyError: { code: string; command: string | undefined } | undefined;

  constructor(
    readonly name = 'cardReader',
    private readonly address = 0,
  ) {}

  attach(transport: ByteTransport): Promise<void> {
    return this.line.attach(transport);
  }

  detach(): Promise<void> {
    return this.line.detach();
  }

  /**
   * Called with `true` when a chip card reaches the IC contacts and `false` when
   * it leaves them, so the launcher can connect a virtual card to the PC/SC slot.
   */
  onChipContact(listener: (engaged: boolean) => void): Unsubscribe {
    return this.hub.on('chipContact', listener);
  }

  snapshot(): {
    position: CardPosition;
    entryEnabled: boolean;
    jammed: boolean;
    poweredOn: boolean;
    retainCount: number;
    retainCapacity: number;
    chipContact: boolean;
    card: { tracks: number[]; chip: boolean; defect: CardDefect | null } | null;
    faults: Record<string, unknown>;
  } {
    return {
      position: this.position,
      entryEnabled: this.entryEnabled,
      jammed: this.jammed,
      poweredOn: this.poweredOn,
      retainCount: this.retainCount,
      retainCapacity: this.retainCapacity,
      chipContact: this.chipContact,
      // Which tracks are loaded, never their text.
      card: this.card
        ? {
            tracks: [1, 2, 3].filter((n) => this.card?.tracks[n - 1] !== undefined),
            chip: this.card.chip,
            defect: this.card.defect ?? null,
          }
        : null,
      faults: {
        ...this.link,
        nextCardDefect: this.nextDefect ?? null,
        pullDuringEject: this.pullDuringEject,
        replyError: this.replyError?.code ?? null,
      },
    };
  }

  control(action: string, body: unknown): unknown {
    switch (action) {
      case 'insertCard':
        this.insertCard(parseControl(ControlSchemas.insertCard, body));
        break;
      case 'takeCard':
        parseControl(ControlSchemas.takeCard, body);
        this.takeCard();
        break;
      case 'jam':
        this.setJam(parseControl(ControlSchemas.jam, body).on);
        break;
      case 'fault':
        this.armFault(parseControl(ControlSchemas.fault, body));
        break;
      case 'power':
        this.poweredOn = parseControl(ControlSchemas.power, body).on;
        this.lastReply = undefined;
        break;
      case 'capture':
        parseControl(ControlSchemas.capture, body);
        if (!IN_READER.has(this.position)) throw new SimulatorControlError('no card in the reader');
        this.retainCard();
        break;
      case 'retainBin': {
        const bin = parseControl(ControlSchemas.retainBin, body);
        this.retainCount = bin.count ?? this.retainCount;
        this.retainCapacity = bin.capacity ?? this.retainCapacity;
        break;
      }
      default:
        throw new SimulatorControlError(`card reader has no action "${action}"`);
    }
    return this.snapshot();
  }

  // ---- the customer and the engineer ----

  private insertCard(body: InsertCardBody): void {
    if (this.position !== 'none' && this.position !== 'retained') {
      throw new SimulatorControlError(`a card is already ${this.position === 'entering' ? 'at the entry' : 'in the reader'}`);
    }
    this.card = { tracks: [body.track1, body.track2, body.track3], chip: body.chip ?? false, defect: this.nextDefect };
    this.nextDefect = undefined;
    // With the entry closed the card waits at the shutter until the host opens it.
    this.setPosition('entering');
    if (this.entryEnabled) this.admit();
  }

  private takeCard(): void {
    if (this.position !== 'gate' && this.position !== 'entering') throw new SimulatorControlError('no card at the gate');
    this.card = undefined;
    this.setPosition('none');
  }

  private setJam(on: boolean): void {
    if (!on) {
      if (this.jammed) {
        this.card = undefined;
        this.setPosition('none');
      }
      this.jammed = false;
      return;
    }
    if (!IN_READER.has(this.position)) throw new SimulatorControlError('no card in the reader to jam');
    this.jammed = true;
  }

  private armFault(fault: FaultBody): void {
    switch (fault.kind) {
      case 'nakStorm':
      case 'noAnswer':
      case 'garbage':
      case 'corruptReply':
        this.link[fault.kind] = fault.count ?? DEFAULT_COUNTS[fault.kind];
        return;
      case 'pullDuringEject':
        this.pullDuringEject = true;
        return;
      case 'error':
        this.replyError = { code: fault.code, command: fault.command };
        return;
      default:
        this.nextDefect = fault.kind;
    }
  }

  /** The entry is open and a card is at the shutter: take it in, or refuse it back to the gate. */
  private admit(): void {
    const defect = this.card?.defect;
    if (defect === 'tooShort' || defect === 'tooLong') {
      this.latchedError = defect === 'tooShort' ? '14' : '13';
      this.setPosition('gate');
      return;
    }
    this.setPosition('inside');
  }

  // ---- the link ----

  private receive(chunk: Uint8Array): void {
    if (!this.poweredOn) return;
    for (const event of this.wire.feed(chunk)) this.handle(event);
  }

  private handle(event: WireEvent): void {
    if (event.kind === 'enq') {
      if (this.lastReply) this.sendReply(this.lastReply);
      return;
    }
    if (event.kind === 'corrupt') return this.write([NAK_BYTE]);
    if (event.address !== this.address) return;
    if (this.link.noAnswer > 0) {
      this.link.noAnswer -= 1;
      return;
    }
    if (this.link.nakStorm > 0 || event.text[0] !== ch('C') || event.text.length < 3) {
      this.link.nakStorm = Math.max(0, this.link.nakStorm - 1);
      return this.write([NAK_BYTE]);
    }
    this.write([ACK_BYTE]);
    this.lastReply = this.execute(event.text);
  }

  private sendReply(text: number[]): void {
    const corrupt = this.link.corruptReply > 0;
    if (corrupt) this.link.corruptReply -= 1;
    const noise = this.link.garbage > 0 ? GARBAGE : [];
    if (noise.length > 0) this.link.garbage -= 1;
    this.write([...noise, ...buildFrame(this.address, text, corrupt)]);
  }

  private write(bytes: readonly number[]): void {
    void this.line.transport?.write(Uint8Array.from(bytes)).catch(() => undefined);
  }

  // ---- commands ----

  private execute(text: readonly number[]): number[] {
    const [, cm = 0, pm = 0, ...data] = text;
    const cmd = String.fromCharCode(cm, pm);
    const positive = (extra: readonly number[] = []): number[] => [POSITIVE, cm, pm, ...this.status(), ...extra];
    const negative = (code: string): number[] => [NEGATIVE, cm, pm, ...ascii(code)];

    if (cmd === '10' || cmd === '11') {
      const latched = this.latchedError;
      this.latchedError = undefined;
      if (latched) return negative(latched);
      return positive(cmd === '11' ? ascii(SENSORS[this.position]) : []);
    }
    const injected = this.replyError;
    if (injected && (injected.command === undefined || injected.command === `C${cmd}`)) {
      this.replyError = undefined;
      return negative(injected.code);
    }
    switch (cm) {
      case ch('0'):
        if (!'013'.includes(String.fromCharCode(pm))) return negative('01');
        if (this.jammed) return negative('10');
        this.entryEnabled = false;
        return positive();
      case ch(':'):
        if (pm !== ch('0') && pm !== ch('1')) return negative('01');
        this.entryEnabled = pm === ch('0');
        if (this.entryEnabled && this.position === 'entering') this.admit();
        return positive();
      case ch('6'):
        if (pm === ch('0')) return data.length === 4 ? positive() : negative('04');
        if (pm !== ch('1')) return negative('01');
        return this.readTracks(positive, negative);
      case ch('2'):
        return this.move(String.fromCharCode(pm), positive, negative);
      default:
        return negative('00');
    }
  }

  private readTracks(positive: (extra?: readonly number[]) => number[], negative: (code: string) => number[]): number[] {
    if (this.position !== 'inside' && this.position !== 'ic') return negative('02');
    if (this.jammed) return negative('10');
    this.setPosition('inside');
    const card = this.card;
    const blocks = [0, 1, 2].map((i) => {
      const track = card?.tracks[i];
      if (card?.defect === 'badCard') return ascii('N21');
      return track ? [POSITIVE, ...ascii(track)] : ascii('N24');
    });
    const [b1 = [], b2 = [], b3 = []] = blocks;
    return positive([...b1, TRACK_SEPARATOR, ...b2, TRACK_SEPARATOR, ...b3]);
  }

  private move(
    target: string,
    positive: () => number[],
    negative: (code: string) => number[],
  ): number[] {
    if (!'0123'.includes(target)) return negative(target === '9' ? '03' : '01');
    if (!IN_READER.has(this.position)) return negative('02');
    if (this.jammed) return negative('10');
    switch (target) {
      case '0':
        if (this.pullDuringEject) {
          this.pullDuringEject = false;
          this.card = undefined;
          this.setPosition('none');
          return negative('40');
        }
        this.setPosition('gate');
        return positive();
      case '1':
        if (this.position === 'gate') return negative('02');
        this.setPosition('ic');
        return positive();
      case '2':
        this.setPosition('inside');
        return positive();
      default:
        if (this.retainCount >= this.retainCapacity) return negative('50');
        this.retainCard();
        return positive();
    }
  }

  private retainCard(): void {
    this.retainCount += 1;
    this.card = undefined;
    this.setPosition('retained');
  }

  private status(): number[] {
    return [ch(ST0[this.position]), ch(this.retainCount >= this.retainCapacity ? '1' : '0')];
  }

  private setPosition(next: CardPosition): void {
    this.position = next;
    const engaged = next === 'ic' && this.card?.chip === true;
    if (engaged === this.chipContact) return;
    this.chipContact = engaged;
    this.hub.emit('chipContact', engaged);
  }
}
