import { randomBytes } from 'node:crypto';
import type { ByteTransport } from '../../drivers/common/transport.js';
import { SimulatorLine } from '../common/simulator-line.js';
import type { DeviceSimulator } from '../common/simulator.js';
import { applyAcceptorControl, NotePath, type LinkFaults, type NotePathConfig, type SimNote } from './note-path.js';
import { cur, frame, le32, open, PacketReader, seal, type Packet } from './wire.js';

const FIXED_KEY = Buffer.from([0x67, 0x45, 0x23, 0x01, 0x67, 0x45, 0x23, 0x01]);
/** Commands the device takes in plain text once powered; everything else needs the eSSP key. */
const PLAIN_OK = new Set([0x11, 0x4a, 0x4b, 0x4c]);
const OK = 0xf0;
const GARBAGE = [0x00, 0x7f, 0x80, 0x05, 0xff, 0x13];

export const DEFAULT_ESSP_CONFIG: NotePathConfig = {
  currency: 'CNY',
  channels: [1000, 2000, 5000, 10000],
  recyclers: [
    { denomination: 5000, capacity: 40, count: 10 },
    { denomination: 10000, capacity: 40, count: 10 },
  ],
  cashboxCapacity: 500,
  escrowCapacity: 20,
};

export interface EsspRecyclerSimOptions {
  readonly name?: string;
  /** Where the note path is persisted; none = volatile. */
  readonly stateDir?: string;
  readonly config?: NotePathConfig;
}

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  for (; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}

function prime(n: bigint): boolean {
  if (n < 3n || n % 2n === 0n) return n === 2n;
  let d = n - 1n;
  let s = 0;
  for (; d % 2n === 0n; s++) d /= 2n;
  return [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n].every((a) => {
    if (a % n === 0n) return true;
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) return true;
    for (let i = 1; i < s; i++) if ((x = (x * x) % n) === n - 1n) return true;
    return false;
  });
}

const readLe64 = (b: Buffer): bigint => b.readBigUInt64LE(0);
const le64 = (v: bigint): number[] => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v);
  return [...b];
};

/**
 * Device side of an ITL SMART Payout (protocol 7, eSSP only) with the bunch
 * escrow extension (0x90–0x92, events 0x9A–0x9C). Poll-driven: each poll
 * moves the note path one step, so timing follows the host.
 */
export class EsspRecyclerSimulator implements DeviceSimulator {
  readonly name: string;
  readonly path: NotePath;
  private readonly line = new SimulatorLine((chunk) => {
    for (const packet of this.reader.feed(chunk)) this.handle(packet);
  });
  private readonly reader = new PacketReader();
  private events: number[] = [];
  private enabled = false;
  private inhibits = 0;
  private escrowMode = false;
  private headReported = false;
  private held = false;
  private generator = 0n;
  private modulus = 0n;
  private key: Buffer | undefined;
  private count = 0;
  private last: { seq: number; request: Buffer; reply: Buffer } | undefined;
  private readonly faults: LinkFaults = { noAnswer: 0, garbage: false, fraudNext: false };
  /** Encrypted packets dropped for a wrong key (inner CRC) or a wrong eCOUNT. */
  discarded = 0;
  private readonly counters = { stacked: 0, stored: 0, dispensed: 0, transferred: 0, rejected: 0 };

  constructor(options: EsspRecyclerSimOptions = {}) {
    this.name = options.name ?? 'cashAcceptor';
    this.path = new NotePath(options.config ?? DEFAULT_ESSP_CONFIG, options.stateDir);
    // Starting the process is switching the device on: what the saved path held is cleared first.
    if (this.path.state.powered) this.powerUp();
    this.path.persist();
  }

  attach(transport: ByteTransport): Promise<void> {
    return this.line.attach(transport);
  }

  async detach(): Promise<void> {
    await this.line.detach();
  }

  snapshot(): unknown {
    return { ...(this.path.snapshot() as object), encrypted: this.key !== undefined, discarded: this.discarded };
  }

  control(action: string, body: unknown): unknown {
    return (
      applyAcceptorControl(this.path, action, body, {
        faults: this.faults,
        onPowerUp: () => this.powerUp(),
        onCashboxReplaced: () => this.events.push(0xe4),
      }) ?? this.snapshot()
    );
  }

  /**
   * Power-up: keys and counters are gone; notes in the path are cleared out of the front into
   * the bezel (Slave Reset, then Note Cleared From Front per note), where they stay — reported
   * by Note Held in Bezel at every poll — until someone takes them.
   */
  private powerUp(): void {
    const s = this.path.state;
    const cleared = [...(s.head ? [s.head] : []), ...s.escrow.splice(0)];
    s.bezel.push(...cleared);
    s.head = undefined;
    this.key = undefined;
    this.count = 0;
    this.enabled = false;
    this.escrowMode = false;
    this.last = undefined;
    this.events = [0xf1, ...cleared.flatMap((n) => [0xe1, this.path.channelOf(n)])];
  }

  private handle(packet: Packet): void {
    if (!this.path.state.powered) return;
    if (this.faults.noAnswer > 0) {
      this.faults.noAnswer -= 1;
      return;
    }
    const seq = packet.seqId & 0x80;
    if (this.last && this.last.seq === seq && this.last.request.equals(packet.data)) {
      this.send(this.last.reply);
      return;
    }
    let body = packet.data;
    const encrypted = body[0] === 0x7e;
    if (encrypted && !this.key) {
      // After a power cut the host still encrypts: tell it the key is gone.
      this.send(frame(seq, [0xfa]));
      return;
    }
    if (encrypted) {
      const opened = this.key ? open(this.key, body) : undefined;
      if (!opened || opened.count !== this.count) {
        this.discarded += 1;
        return;
      }
      this.count += 1;
      body = opened.body;
    }
    const cmd = body[0] ?? 0;
    const key = this.key;
    let reply = !encrypted && !PLAIN_OK.has(cmd) ? [0xfa] : this.execute(cmd, body.subarray(1));
    if (encrypted && key) {
      reply = [...seal(key, this.count, Buffer.from(reply), (n) => randomBytes(n))];
      this.count += 1;
    }
    const out = frame(seq, reply);
    this.last = { seq, request: Buffer.from(packet.data), reply: out };
    if (cmd === 0x01 && !this.path.state.jammed) this.powerUp();
    this.path.persist();
    this.send(out);
  }

  private send(bytes: Buffer): void {
    if (this.faults.garbage) {
      this.faults.garbage = false;
      void this.line.transport?.write(Uint8Array.from(GARBAGE));
    }
    void this.line.transport?.write(bytes);
  }

  private execute(cmd: number, args: Buffer): number[] {
    const s = this.path.state;
    const c = this.path.config;
    switch (cmd) {
      case 0x11:
        return [OK];
      case 0x01:
        s.jammed = false;
        return [OK];
      case 0x05: {
        const n = c.channels.length;
        const multiplier = [0, 0, 1];
        return [
          OK,
          0x06,
          ...cur('0407'),
          ...cur(c.currency),
          ...multiplier,
          n,
          ...c.channels.map((v) => Math.min(255, v / 100)),
          ...c.channels.map(() => 2),
          ...multiplier,
          7,
          ...c.channels.flatMap(() => cur(c.currency)),
          ...c.channels.flatMap(le32),
        ];
      }
      case 0x06:
        return args[0] !== undefined && args[0] >= 6 && args[0] <= 8 ? [OK] : [0xf8];
      case 0x07:
        return [OK, ...this.pollStep()];
      case 0x02:
        if (args.length < 2) return [0xf3];
        this.inhibits = args.readUInt16LE(0);
        return [OK];
      case 0x09:
        this.enabled = false;
        return [OK];
      case 0x0a:
        this.enabled = true;
        return [OK];
      case 0x0c:
        return [OK, 0x00, 0x12, 0xd6, 0x87];
      case 0x08:
        if (s.head) this.giveBack(s.head, true);
        s.head = undefined;
        return [OK];
      case 0x18:
        if (!s.head) return [0xf8];
        this.held = true;
        return [OK];
      case 0x22:
        return [
          OK,
          s.recyclers.length,
          ...s.recyclers.flatMap((r) => [
            r.notes.length & 0xff,
            r.notes.length >> 8,
            ...le32(r.denomination),
            ...cur(r.currency),
          ]),
        ];
      case 0x33:
        return this.payout(args);
      case 0x3b: {
        if (args.length !== 8) return [0xf3];
        const value = args.readUInt32LE(1);
        s.cashboxRoutes = s.cashboxRoutes.filter((v) => v !== value).concat(args[0] === 1 ? [value] : []);
        return [OK];
      }
      case 0x3f:
        for (const r of s.recyclers) s.cashbox.notes.push(...r.notes.splice(0));
        this.events.push(0xc3, 0xc4);
        return [OK];
      case 0x58: {
        const k = this.counters;
        return [OK, 5, ...[k.stacked, k.stored, k.dispensed, k.transferred, k.rejected].flatMap(le32)];
      }
      case 0x5c:
        return [OK];
      case 0x4a:
      case 0x4b: {
        if (args.length !== 8) return [0xf3];
        const v = readLe64(args);
        if (!prime(v)) return [0xf4];
        if (cmd === 0x4a) this.generator = v;
        else this.modulus = v;
        return [OK];
      }
      case 0x4c: {
        if (args.length !== 8 || this.generator === 0n || this.modulus === 0n) return [0xf4];
        const slaveRandom = randomBytes(4).readUInt32LE(0) | 1;
        const slaveInter = modPow(this.generator, BigInt(slaveRandom), this.modulus);
        const shared = modPow(readLe64(args), BigInt(slaveRandom), this.modulus);
        this.key = Buffer.from([...FIXED_KEY, ...le64(shared)]);
        this.count = 0;
        return [OK, ...le64(slaveInter)];
      }
      case 0x90:
        this.escrowMode = args[0] === 1;
        return [OK];
      case 0x91:
        return this.commit();
      case 0x92: {
        const n = s.escrow.length;
        for (const note of s.escrow.splice(0)) this.giveBack(note, true);
        return [OK, n];
      }
      default:
        return [0xf2];
    }
  }

  private giveBack(note: SimNote, rejecting: boolean): void {
    this.path.state.bezel.push(note);
    this.counters.rejected += 1;
    this.events.push(...(rejecting ? [0xed, 0xec] : []), 0x9c, note.serial.length, ...cur(note.serial));
  }

  private valueList(notes: readonly SimNote[]): number[] {
    const total = notes.reduce((sum, n) => sum + n.denomination, 0);
    return [1, ...le32(total), ...cur(notes[0]?.currency ?? this.path.config.currency)];
  }

  /** One step of the note path per poll. */
  private pollStep(): number[] {
    const s = this.path.state;
    if (s.head && this.headReported) {
      if (this.held) this.held = false;
      else this.acceptHead(s.head);
    }
    if (
      this.enabled &&
      this.path.canAccept() &&
      s.feeder.length > 0 &&
      s.escrow.length < this.path.config.escrowCapacity
    ) {
      this.validate(s.feeder.shift()!);
    }
    const out = this.events.splice(0);
    if (s.jammed) out.push(0xe9);
    if (!s.cashbox.present) out.push(0xe3);
    if (this.path.stackerFull()) out.push(0xe7);
    if (s.bezel.length > 0) out.push(0xce, ...this.valueList(s.bezel));
    if (!this.enabled) out.push(0xe8);
    return out;
  }

  private validate(note: SimNote): void {
    const s = this.path.state;
    const ch = this.path.channelOf(note);
    const inhibited = ch === 0 || (this.inhibits & (1 << (ch - 1))) === 0;
    this.events.push(0xef, 0x00);
    if (this.faults.fraudNext) {
      this.faults.fraudNext = false;
      this.events.push(0xe6, ch);
      this.giveBack(note, false);
    } else if (note.quality === 'counterfeit' || note.quality === 'suspect') {
      if (note.quality === 'counterfeit') this.events.push(0xe6, ch);
      this.path.toCashbox(note);
      this.events.push(0x9b, ch, note.quality === 'suspect' ? 1 : 0, note.serial.length, ...cur(note.serial));
    } else if (note.quality === 'unrecognized' || inhibited) {
      this.giveBack(note, true);
    } else {
      s.head = note;
      this.headReported = true;
      this.held = false;
      this.events.push(0xef, ch);
    }
  }

  private acceptHead(note: SimNote): void {
    const s = this.path.state;
    const ch = this.path.channelOf(note);
    s.head = undefined;
    this.headReported = false;
    if (this.escrowMode) {
      s.escrow.push(note);
      this.events.push(0x9a, ch, note.quality === 'unfit' ? 1 : 0, note.serial.length, ...cur(note.serial));
      return;
    }
    this.store(note, ch);
  }

  private store(note: SimNote, ch: number): number {
    const recycler = this.path.recyclerFor(note);
    if (recycler) {
      recycler.notes.push(note);
      this.counters.stored += 1;
      this.events.push(0xcc, 0xee, ch, 0xdb);
      return 1;
    }
    this.path.toCashbox(note);
    this.counters.stacked += 1;
    this.events.push(0xcc, 0xee, ch, 0xeb);
    return 0;
  }

  private commit(): number[] {
    const s = this.path.state;
    const toCashbox = s.escrow.filter((n) => !this.path.recyclerFor(n)).length;
    if (!s.cashbox.present || s.cashbox.notes.length + toCashbox > s.cashbox.capacity || s.jammed) return [0xf5];
    const notes = s.escrow.splice(0);
    return [
      OK,
      notes.length,
      ...notes.flatMap((n) => {
        const ch = this.path.channelOf(n);
        return [ch, this.store(n, ch)];
      }),
    ];
  }

  private payout(args: Buffer): number[] {
    const s = this.path.state;
    if (args.length !== 8) return [0xf3];
    const amount = args.readUInt32LE(0);
    const currency = args.subarray(4, 7).toString('ascii');
    if (s.jammed || s.head) return [0xf5, 0x03];
    const plan = this.path.planPayout(amount, currency);
    if (!plan) return [0xf5, 0x02];
    if (args[7] === 0x19) return [OK];
    const paid: SimNote[] = [];
    for (const [r, n] of plan) paid.push(...r.notes.splice(r.notes.length - n, n));
    s.bezel.push(...paid);
    this.counters.dispensed += paid.length;
    this.events.push(0xda, ...this.valueList(paid), 0xd2, ...this.valueList(paid));
    return [OK];
  }
}
