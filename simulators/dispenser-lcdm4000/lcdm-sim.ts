import { DispenserSimulator, defaultMechanismConfig, type DispenserSimConfig } from '../dispenser-core/dispenser-sim.js';
import { dispenserErrorCodes } from '../dispenser-core/error-codes.js';
import { MechanismRefusal } from '../dispenser-core/mechanism.js';
import { ACK_BYTE, END_OF_TRANSMISSION, NAK_BYTE, WireReader, buildReply, type WireEvent } from './wire.js';

const ch = (c: string): number => c.charCodeAt(0);
const ascii = (s: string): number[] => Array.from(s, ch);
const plus = (n: number): number => n + 0x20;
/** No control bytes, a stray SOH announcing nothing, then the real reply. */
const GARBAGE = [0x00, 0xff, 0x7e, 0x01, 0x31, 0x99];
const MAX_RESENDS = 3;

/** Mechanism results → ERR codes (without the 0x20 offset); 0x50… are our extensions. */
const ERR = dispenserErrorCodes({ jamCHK: 0x02, jamDVT: 0x03, jamEJT: 0x04 });
const OPERATION_CODES = { dispense: 0x52, purge: 0x51, retract: 0x73, present: 0x72 } as const;
const ABNORMAL_COMMAND = 0x30;
const ABNORMAL_PARAMETER = 0x31;

/**
 * Device side of a Puloon LCDM-4000 with four cassettes and an exit tray, plus
 * our extension commands 0x70–0x75 (nonce, present, retract, present-status
 * token, transaction record). ACKs a good frame at once, answers when the
 * mechanism is done, resends on NAK and closes with EOT after the host's ACK.
 */
export class Lcdm4000Simulator extends DispenserSimulator {
  private readonly wire = new WireReader();
  private busy = false;
  private pending: { reply: Uint8Array; resends: number } | undefined;

  constructor(name = 'cashDispenser', config: DispenserSimConfig = {}) {
    super(name, defaultMechanismConfig(name, config));
  }

  protected onPower(): void {
    this.pending = undefined;
    this.busy = false;
  }

  protected receive(chunk: Uint8Array): void {
    for (const event of this.wire.feed(chunk)) this.handle(event);
  }

  private handle(event: WireEvent): void {
    switch (event.kind) {
      case 'ack':
        if (!this.pending) return;
        this.pending = undefined;
        this.send(Uint8Array.of(END_OF_TRANSMISSION));
        return;
      case 'nak':
        if (!this.pending || this.pending.resends >= MAX_RESENDS) return;
        this.pending.resends += 1;
        this.send(this.pending.reply);
        return;
      case 'corrupt':
        this.send(Uint8Array.of(NAK_BYTE));
        return;
      case 'frame':
        if (this.link.noAnswer > 0) {
          this.link.noAnswer -= 1;
          return;
        }
        if (this.busy) return;
        this.pending = undefined;
        this.send(Uint8Array.of(ACK_BYTE));
        this.busy = true;
        void this.execute(event.cmd, event.data).then((data) => {
          this.busy = false;
          const reply = buildReply(event.cmd, data);
          this.pending = { reply, resends: 0 };
          if (this.link.garbage) {
            this.link.garbage = false;
            this.send(Uint8Array.from(GARBAGE));
          }
          this.send(reply);
        });
    }
  }

  private async execute(cmd: number, data: readonly number[]): Promise<number[]> {
    const m = this.mechanism;
    try {
      switch (cmd) {
        case 0x50:
          return this.status();
        case 0x51:
          return [plus(0), 0x30, ...this.cassetteCounts(m.cassetteCount, () => 0, m.purge())];
        case 0x52:
          return await this.dispense(data);
        case 0x55:
          return this.lastStatus();
        case 0x67:
          return [plus(0), plus(1)];
        case 0x70:
          return [plus(0), ...ascii(m.issueNonce())];
        case 0x71:
          m.clearNonce();
          return [plus(0)];
        case 0x72:
          return [plus(0), plus(m.present())];
        case 0x73:
          return [plus(0), plus(m.retract())];
        case 0x74: {
          const nonce = String.fromCharCode(...data);
          if (!/^[0-9A-F]{1,64}$/.test(nonce)) return [plus(ABNORMAL_PARAMETER)];
          return [plus(0), ...ascii(m.presentStatusToken(nonce))];
        }
        case 0x75:
          return [plus(0), ...ascii(m.recordText())];
        default:
          return [plus(ABNORMAL_COMMAND)];
      }
    } catch (err) {
      if (err instanceof MechanismRefusal) return cmd === 0x72 || cmd === 0x73 ? [plus(ERR[err.code]), plus(0)] : [plus(ERR[err.code])];
      throw err;
    }
  }

  private async dispense(data: readonly number[]): Promise<number[]> {
    const m = this.mechanism;
    const zeros = (): number => 0;
    if (data.length < 15 || data.slice(0, 4).some((b) => b < 0x20 || b > 0x20 + 100)) {
      return [plus(ABNORMAL_PARAMETER), 0x30, ...this.cassetteCounts(4, zeros, [0, 0, 0, 0]), ...new Array<number>(9).fill(0x20)];
    }
    const counts = data.slice(0, 4).map((b) => b - 0x20);
    const token = data.length > 15 ? String.fromCharCode(...data.slice(15)) : undefined;
    const outcome = await m.dispense(counts, token);
    const err = outcome.error === null ? 0 : ERR[outcome.error];
    return [plus(err), 0x30, ...this.cassetteCounts(4, (i) => outcome.exit[i] ?? 0, outcome.rejected), ...new Array<number>(9).fill(0x20)];
  }

  /** `ERR DISP (STAT TYPE OPAC LENG)×4 EXT`; STAT '0' ok, '1' near end, '2' empty; EXT is ours. */
  private status(): number[] {
    const m = this.mechanism;
    const s = m.snapshot;
    const disp = (s.exit.length > 0 ? 1 << 3 : 0) | (s.jammed === 'EJT' ? 1 << 2 : 0) | (s.jammed === 'DVT' ? 3 : 0);
    const cassettes = s.cassettes.flatMap((c, i) => [
      { ok: 0x30, nearEnd: 0x31, empty: 0x32 }[m.level(i)],
      c.present ? 0x31 + i : 0x30,
      plus(0x40),
      plus(0x50),
    ]);
    const ext =
      (s.stacker.length > 0 ? 1 : 0) |
      (s.exit.length > 0 ? 2 : 0) |
      (m.rejectFull ? 4 : 0) |
      (s.jammed ? 8 : 0) |
      (s.stackerUnknown ? 16 : 0);
    return [plus(0), plus(disp), ...cassettes, plus(ext)];
  }

  private lastStatus(): number[] {
    const last = this.mechanism.snapshot.lastOperation;
    const code = last ? OPERATION_CODES[last.operation] : 0x20;
    const err = last?.error ? ERR[last.error] : 0;
    return [code, plus(err), 0x30, ...this.cassetteCounts(4, (i) => last?.exit[i] ?? 0, last?.rejected ?? [0, 0, 0, 0])];
  }

  /** `(EXIT REJECT TYPE)×n`, counts + 0x20, TYPE 0x31+i when the cassette is in. */
  private cassetteCounts(n: number, exit: (i: number) => number, rejected: readonly number[]): number[] {
    const s = this.mechanism.snapshot;
    return Array.from({ length: n }, (_, i) => [plus(exit(i)), plus(rejected[i] ?? 0), s.cassettes[i]?.present ? 0x31 + i : 0x30]).flat();
  }
}
