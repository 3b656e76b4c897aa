import type { ByteTransport } from '../../drivers/common/transport.js';
import { SimulatorLine } from '../common/simulator-line.js';
import type { DeviceSimulator } from '../common/simulator.js';
import {
  applyAcceptorControl,
  NotePath,
  type LinkFaults,
  type NotePathConfig,
  type SimNote,
} from '../recycler-essp/note-path.js';
import { ccnetFrame, FrameReader } from './wire.js';

const ACK = [0x00];
const ILLEGAL = [0x30];
const GARBAGE = [0xff, 0x02, 0x03, 0x01, 0x99];
const ascii = (s: string, n: number): number[] => Array.from(s.padEnd(n, ' ').slice(0, n), (c) => c.charCodeAt(0));

export const DEFAULT_CCNET_CONFIG: NotePathConfig = {
  currency: 'CNY',
  channels: [1000, 2000, 5000, 10000],
  recyclers: [],
  cashboxCapacity: 1000,
  escrowCapacity: 20,
};

export interface CcnetAcceptorSimOptions {
  readonly name?: string;
  readonly stateDir?: string;
  readonly config?: NotePathConfig;
}

/**
 * Device side of a CashCode CCNET bill validator with a drop cassette and
 * the bunch-escrow extension (0x70–0x73, states 0x90/0x91). Poll-driven: a
 * POLL moves the note path one step; event states are repeated until the
 * host ACKs them, as CCNET requires.
 */
export class CcnetAcceptorSimulator implements DeviceSimulator {
  readonly name: string;
  readonly path: NotePath;
  private readonly line = new SimulatorLine((chunk) => {
    for (const data of this.reader.feed(chunk)) this.handle(data);
  });
  private readonly reader = new FrameReader();
  private queue: number[][] = [];
  private reportedEvent = false;
  private enabledMask = 0;
  private escrowMode = false;
  private powerUpPending = true;
  private lastReply: Buffer | undefined;
  private readonly faults: LinkFaults = { noAnswer: 0, garbage: false, fraudNext: false };

  constructor(options: CcnetAcceptorSimOptions = {}) {
    this.name = options.name ?? 'cashAcceptor';
    this.path = new NotePath(options.config ?? DEFAULT_CCNET_CONFIG, options.stateDir);
    // Starting the process is switching the device on: what the saved path held goes to the bezel.
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
    return this.path.snapshot();
  }

  control(action: string, body: unknown): unknown {
    return (
      applyAcceptorControl(this.path, action, body, { faults: this.faults, onPowerUp: () => this.powerUp() }) ??
      this.snapshot()
    );
  }

  /** Power-up: notes in the path come back to the bezel and the host must reset and re-enable. */
  private powerUp(): void {
    const s = this.path.state;
    s.bezel.push(...(s.head ? [s.head] : []), ...s.escrow.splice(0));
    s.head = undefined;
    this.powerUpPending = true;
    this.queue = [];
    this.enabledMask = 0;
  }

  private handle(data: Buffer): void {
    if (!this.path.state.powered) return;
    if (this.faults.noAnswer > 0) {
      this.faults.noAnswer -= 1;
      return;
    }
    const cmd = data[0]!;
    if (data.length === 1 && cmd === 0x00) {
      if (this.reportedEvent) this.queue.shift();
      this.reportedEvent = false;
      return;
    }
    if (data.length === 1 && cmd === 0xff) {
      if (this.lastReply) this.send(this.lastReply);
      return;
    }
    const reply = ccnetFrame(this.execute(cmd, data.subarray(1)));
    this.lastReply = reply;
    this.path.persist();
    this.send(reply);
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
      case 0x30:
        this.powerUpPending = false;
        s.jammed = false;
        s.bezel.push(...(s.head ? [s.head] : []), ...s.escrow.splice(0));
        s.head = undefined;
        this.enabledMask = 0;
        this.queue = [];
        return ACK;
      case 0x31:
        return [...this.mask(this.enabledMask), 0, 0, 0];
      case 0x33:
        return this.poll();
      case 0x34:
        if (args.length !== 6) return ILLEGAL;
        this.enabledMask = (args[0]! << 16) | (args[1]! << 8) | args[2]!;
        return ACK;
      case 0x35: {
        const head = s.head;
        if (!head) return ILLEGAL;
        s.head = undefined;
        const type = this.path.channelOf(head) - 1;
        if (this.escrowMode) {
          s.escrow.push(head);
          this.queue.push([
            0x90,
            type,
            head.quality === 'unfit' ? 1 : 0,
            head.serial.length,
            ...ascii(head.serial, head.serial.length),
          ]);
        } else {
          this.path.toCashbox(head);
          this.queue.push([0x81, type]);
        }
        return ACK;
      }
      case 0x36:
        if (!s.head) return ILLEGAL;
        this.queue.push([0x82, this.path.channelOf(s.head) - 1]);
        s.bezel.push(s.head);
        s.head = undefined;
        return ACK;
      case 0x38:
        return ACK;
      case 0x37:
        return [...ascii('SM-CN3314-SIM', 15), ...ascii('41K001234567', 12), 0, 0, 0, 0, 0, 0, 0];
      case 0x41:
        return Array.from({ length: 24 }, (_, t) => {
          const v = c.channels[t];
          if (v === undefined) return [0, 0, 0, 0, 0];
          const major = v / 100;
          const exp = Math.floor(Math.log10(major));
          return [major / 10 ** exp, ...ascii(c.currency, 3), exp];
        }).flat();
      case 0x70:
        this.escrowMode = args[0] === 1;
        return ACK;
      case 0x71: {
        if (!s.cashbox.present || s.jammed || s.cashbox.notes.length + s.escrow.length > s.cashbox.capacity)
          return ILLEGAL;
        const n = s.escrow.length;
        for (const note of s.escrow.splice(0)) this.path.toCashbox(note);
        return [n];
      }
      case 0x72:
        s.bezel.push(...s.escrow.splice(0));
        return ACK;
      case 0x73:
        return [s.bezel.length > 0 ? 1 : 0];
      default:
        return ILLEGAL;
    }
  }

  private mask(bits: number): number[] {
    return [(bits >>> 16) & 0xff, (bits >>> 8) & 0xff, bits & 0xff];
  }

  /** One POLL: steady faults first, then unacknowledged events, then the note path. */
  private poll(): number[] {
    const s = this.path.state;
    this.reportedEvent = false;
    if (this.powerUpPending) return [0x10];
    if (s.jammed) return [0x43];
    if (!s.cashbox.present) return [0x42];
    if (this.path.stackerFull()) return [0x41];
    if (this.queue.length > 0) {
      this.reportedEvent = true;
      return this.queue[0]!;
    }
    if (s.head) return [0x80, this.path.channelOf(s.head) - 1];
    if (
      this.enabledMask !== 0 &&
      this.path.canAccept() &&
      s.feeder.length > 0 &&
      s.escrow.length < this.path.config.escrowCapacity
    ) {
      this.validate(s.feeder.shift()!);
      return [0x15];
    }
    return [this.enabledMask !== 0 ? 0x14 : 0x19];
  }

  private validate(note: SimNote): void {
    const s = this.path.state;
    const type = this.path.channelOf(note) - 1;
    const enabled = type >= 0 && (this.enabledMask & (1 << type)) !== 0;
    const serial = [note.serial.length, ...ascii(note.serial, note.serial.length)];
    if (this.faults.fraudNext) {
      this.faults.fraudNext = false;
      this.queue.push([0x45], [0x1c, 0x6a]);
      s.bezel.push(note);
    } else if (note.quality === 'counterfeit' || note.quality === 'suspect') {
      this.path.toCashbox(note);
      this.queue.push([0x91, type < 0 ? 0xff : type, note.quality === 'suspect' ? 1 : 0, ...serial]);
    } else if (note.quality === 'unrecognized' || !enabled) {
      this.queue.push([0x1c, enabled ? 0x65 : 0x68]);
      s.bezel.push(note);
    } else s.head = note;
  }
}
