import { DispenserSimulator, defaultMechanismConfig, type DispenserSimConfig } from '../dispenser-core/dispenser-sim.js';
import { dispenserErrorCodes } from '../dispenser-core/error-codes.js';
import { MechanismRefusal } from '../dispenser-core/mechanism.js';
import { ACK, DLE, ENQ, NAK, WireReader, buildFrame, type WireEvent } from './wire.js';

const FS = 0x1c;
const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));
const hex2 = (n: number): number[] => ascii(n.toString(16).toUpperCase().padStart(2, '0'));
/** Noise without a DLE, then the real reply. */
const GARBAGE = [0x00, 0xff, 0x7e, 0x02, 0x31];
const MAX_RESENDS = 3;

/** Mechanism results → our F56 error codes (res[3..4]). */
const ERR = dispenserErrorCodes({ jamCHK: 0x11, jamDVT: 0x12, jamEJT: 0x13 });
const BAD_COMMAND = 0x30;

function parityDigit(d: number): number {
  const c = 0x30 + d;
  const ones = c.toString(2).split('').filter((b) => b === '1').length;
  return ones % 2 ? c | 0x80 : c;
}
const digits2 = (n: number): number[] => [parityDigit(Math.floor(n / 10) % 10), parityDigit(n % 10)];
const fromDigit = (b: number): number => (b & 0x7f) - 0x30;

/**
 * Device side of a Fujitsu F56 with four cassettes and a shuttered exit. The
 * link is symmetric: the host announces its frame with DLE ENQ, we ACK it and
 * the frame; our reply goes the same way after the mechanism is done.
 */
export class F56Simulator extends DispenserSimulator {
  private readonly wire = new WireReader();
  private busy = false;
  /** Our reply waiting for the host's DLE ACK to our DLE ENQ, then to the frame. */
  private outgoing: { frame: Uint8Array; phase: 'enq' | 'frame'; resends: number } | undefined;

  constructor(name = 'cashDispenser', config: DispenserSimConfig = {}) {
    super(name, defaultMechanismConfig(name, config));
  }

  protected onPower(): void {
    this.outgoing = undefined;
    this.busy = false;
  }

  protected receive(chunk: Uint8Array): void {
    for (const event of this.wire.feed(chunk)) this.handle(event);
  }

  private handle(event: WireEvent): void {
    const out = this.outgoing;
    switch (event.kind) {
      case 'enq':
        if (this.link.noAnswer > 0) {
          this.link.noAnswer -= 1;
          return;
        }
        if (!this.busy) this.send(Uint8Array.of(DLE, ACK));
        return;
      case 'ack':
        if (!out) return;
        if (out.phase === 'enq') {
          out.phase = 'frame';
          this.send(out.frame);
        } else this.outgoing = undefined;
        return;
      case 'nak':
        if (!out || out.resends >= MAX_RESENDS) return;
        out.resends += 1;
        this.send(out.frame);
        return;
      case 'corrupt':
        this.send(Uint8Array.of(DLE, NAK));
        return;
      case 'frame':
        if (this.busy) return;
        this.outgoing = undefined;
        this.send(Uint8Array.of(DLE, ACK));
        this.busy = true;
        void this.execute(event.data).then((reply) => {
          this.busy = false;
          if (this.link.garbage) {
            this.link.garbage = false;
            this.send(Uint8Array.from(GARBAGE));
          }
          this.outgoing = { frame: buildFrame([...reply, FS]), phase: 'enq', resends: 0 };
          this.send(Uint8Array.of(DLE, ENQ));
        });
    }
  }

  private async execute(data: readonly number[]): Promise<number[]> {
    const body = data[data.length - 1] === FS ? data.slice(0, -1) : data;
    const [c0, c1] = body;
    try {
      if (c0 === 0x00 && c1 === 0x01) return this.sensors();
      if (c0 === 0x60 && c1 === 0x03) return await this.dispense(body);
      if (c0 === 0xe0) return this.extension(c1 ?? 0, String.fromCharCode(...body.slice(2)));
      return this.error(c0 ?? 0, c1 ?? 0, BAD_COMMAND);
    } catch (err) {
      if (err instanceof MechanismRefusal) return this.error(c0 ?? 0, c1 ?? 0, ERR[err.code]);
      throw err;
    }
  }

  private error(c0: number, c1: number, code: number): number[] {
    return [0xf0, c1, c0, ...hex2(code)];
  }

  /** `00 01 …`, cassettes @0x0C..0x0F, exit/shutter @0x10, transport @0x11. */
  private sensors(): number[] {
    const m = this.mechanism;
    const s = m.snapshot;
    const reply = new Array<number>(0x12).fill(0);
    reply[0] = 0x00;
    reply[1] = 0x01;
    s.cassettes.forEach((c, i) => {
      const level = m.level(i);
      reply[0x0c + i] = (c.present ? 1 : 0) | (level === 'nearEnd' ? 2 : 0) | (level === 'empty' ? 4 : 0);
    });
    reply[0x10] = (s.shutterOpen ? 1 : 0) | (s.exit.length > 0 ? 2 : 0);
    reply[0x11] = (s.stacker.length > 0 ? 1 : 0) | (m.rejectFull ? 2 : 0) | (s.jammed ? 4 : 0) | (s.stackerUnknown ? 8 : 0);
    return reply;
  }

  /** `60 03 15 E4 cnt(4×2) rej(4×2) retries(4) [token]` → `xx 03 99`, dispensed @0x27+2k, rejected @0x2F+2k. */
  private async dispense(body: readonly number[]): Promise<number[]> {
    const cnt = body.slice(4, 12);
    if (body.length < 24 || cnt.some((b) => fromDigit(b) < 0 || fromDigit(b) > 9 || parityDigit(fromDigit(b)) !== b)) {
      return this.error(0x60, 0x03, ERR.badParameter);
    }
    const counts = [0, 1, 2, 3].map((k) => fromDigit(cnt[2 * k] as number) * 10 + fromDigit(cnt[2 * k + 1] as number));
    const token = body.length > 24 ? String.fromCharCode(...body.slice(24)) : undefined;
    const outcome = await this.mechanism.dispense(counts, token);
    const reply = new Array<number>(0x37).fill(0);
    if (outcome.error === null) reply.splice(0, 3, 0x60, 0x03, 0x99);
    else reply.splice(0, 5, ...this.error(0x60, 0x03, ERR[outcome.error]));
    outcome.exit.forEach((n, k) => reply.splice(0x27 + 2 * k, 2, ...digits2(n)));
    outcome.rejected.forEach((n, k) => reply.splice(0x2f + 2 * k, 2, ...digits2(n)));
    return reply;
  }

  private extension(code: number, text: string): number[] {
    const m = this.mechanism;
    const ok = (payload: string): number[] => [0xe0, code, 0x00, ...ascii(payload)];
    switch (code) {
      case 0x01:
        return ok(m.issueNonce());
      case 0x02:
        m.clearNonce();
        return ok('');
      case 0x03:
        return ok(String(m.present()));
      case 0x04:
        return ok(String(m.retract()));
      case 0x05: {
        if (m.snapshot.stacker.length === 0) throw new MechanismRefusal('noItems');
        return ok(String(m.purge().reduce((a, b) => a + b, 0)));
      }
      case 0x06:
        if (!/^[0-9A-F]{1,64}$/.test(text)) return this.error(0xe0, code, ERR.badParameter);
        return ok(m.presentStatusToken(text));
      case 0x07:
        return ok(m.recordText());
      case 0x08: {
        const purged = m.purge().reduce((a, b) => a + b, 0);
        return ok(String(purged + (m.snapshot.exit.length > 0 ? m.retract() : 0)));
      }
      default:
        return this.error(0xe0, code, BAD_COMMAND);
    }
  }
}
