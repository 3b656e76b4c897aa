import type { Clock } from '../../common/clock.js';
import { DeviceError } from '../../common/completion.js';
import type { ByteTransport } from '../../common/transport.js';
import {
  CLEAR_NONCE,
  GET_NONCE,
  LAST_STATUS,
  LCDM_CMD,
  PRESENT,
  PURGE,
  RETRACT,
  STATUS,
  TRANSACTION_RECORD,
  dispenseCommand,
  presentStatusCommand,
  type LcdmCommand,
} from '../../protocols/lcdm/commands.js';
import {
  LcdmReplyError,
  parseCountReply,
  parseCounts,
  parseLastStatus,
  parseStatus,
  parseTextReply,
  replyError,
} from '../../protocols/lcdm/reply.js';
import type { DeviceTransaction, DeviceView, DispenserAdapter, DispenseReport, MoveReport } from '../dispenser-core-adapter.js';
import { RecordFormatError, parseTransactionRecord } from '../dispenser-core-record.js';
import { LcdmLink, type LcdmLinkOptions } from './lcdm-link.js';
import { lcdmFault } from './lcdm-errors.js';

/** Purge may take 20 s on the real unit (§1a). */
const PURGE_TIMEOUT_MS = 20_000;

/**
 * The LCDM-4000 protocol adapter: status, dispense and purge as documented,
 * nonce, present, retract, present-status token and the transaction record
 * through our extension commands 0x70–0x75.
 */
export class LcdmAdapter implements DispenserAdapter {
  readonly modelName = 'Puloon LCDM-4000';
  readonly protocol = 'lcdm4000';
  readonly retractAreas = ['reject'] as const;
  private readonly link: LcdmLink;

  constructor(transport: ByteTransport, clock: Clock, options: LcdmLinkOptions) {
    this.link = new LcdmLink(transport, clock, options);
  }

  start(): void {
    this.link.start();
  }

  stop(): void {
    this.link.stop();
  }

  async serialNumber(): Promise<string> {
    const data = await this.ask({ name: 'serialNumber', data: new Uint8Array(0) });
    return String((data[1] ?? 0x20) - 0x20);
  }

  async status(): Promise<DeviceView> {
    const status = await this.parse(async () => parseStatus(await this.ask(STATUS)));
    const ext = status.extended;
    return {
      cassettes: status.cassettes.map((c) => ({ present: c.present, level: c.level })),
      stacker: !ext.stackerHeld ? 'empty' : ext.stackerUnknown ? 'unknown' : 'notEmpty',
      exitOccupied: ext.exitOccupied || status.sensors.exit,
      shutter: 'notSupported',
      rejectFull: ext.rejectFull,
      jammed: ext.jammed,
    };
  }

  async dispense(counts: readonly number[], token: string | undefined, timeoutMs: number): Promise<DispenseReport> {
    const reply = await this.parse(async () => parseCounts(await this.link.exchange(dispenseCommand(counts, token), timeoutMs)));
    const fault = lcdmFault(reply.error);
    return {
      ...(fault ? { fault } : {}),
      delivered: reply.cassettes.map((c) => c.exit),
      rejected: reply.cassettes.map((c) => c.rejected),
    };
  }

  present(): Promise<MoveReport> {
    return this.move(PRESENT);
  }

  retract(): Promise<MoveReport> {
    return this.move(RETRACT);
  }

  /** PURGE: the bundle held in the stacker goes to the reject tray. */
  async reject(): Promise<MoveReport> {
    const reply = await this.parse(async () => parseCounts(await this.link.exchange(PURGE, PURGE_TIMEOUT_MS)));
    const fault = lcdmFault(reply.error);
    return { ...(fault ? { fault } : {}), count: reply.cassettes.reduce((s, c) => s + c.rejected, 0) };
  }

  /** PURGE clears the path and the jam; notes left in the exit tray are retracted after it. */
  async reset(): Promise<MoveReport> {
    const purged = await this.reject();
    if (purged.fault && purged.fault.kind !== 'noItems') return purged;
    const view = await this.status();
    if (!view.exitOccupied) return { count: purged.count };
    const retracted = await this.retract();
    return { ...retracted, count: purged.count + retracted.count };
  }

  async nonce(): Promise<{ readonly nonce: string }> {
    const reply = await this.parse(async () => parseTextReply(await this.ask(GET_NONCE)));
    const fault = lcdmFault(reply.error);
    return { ...(fault ? { fault } : {}), nonce: reply.text };
  }

  async clearNonce(): Promise<object> {
    const fault = lcdmFault(await this.parse(async () => replyError(await this.ask(CLEAR_NONCE))));
    return fault ? { fault } : {};
  }

  async presentStatusToken(nonce: string): Promise<{ readonly token: string }> {
    const reply = await this.parse(async () => parseTextReply(await this.ask(presentStatusCommand(nonce))));
    const fault = lcdmFault(reply.error);
    return { ...(fault ? { fault } : {}), token: reply.text };
  }

  /**
   * The extension record (which notes, which stage), checked against the
   * documented LAST STATUS counts when the last operation was a dispense.
   */
  async transaction(): Promise<DeviceTransaction | undefined> {
    const record = await this.parse(async () => parseTextReply(await this.ask(TRANSACTION_RECORD)));
    const resolved = await this.parse(() => parseTransactionRecord(record.text, 4));
    const last = await this.parse(async () => parseLastStatus(await this.ask(LAST_STATUS)));
    if (resolved && last.lastCommand === LCDM_CMD.dispense) {
      const agree = last.cassettes.every((c, i) => c.exit + c.rejected === resolved.picked[i]);
      if (!agree) throw new DeviceError('hardwareError', 'LAST STATUS and the transaction record disagree');
    }
    return resolved;
  }

  private async move(command: LcdmCommand): Promise<MoveReport> {
    const reply = await this.parse(async () => parseCountReply(await this.ask(command)));
    const fault = lcdmFault(reply.error);
    return { ...(fault ? { fault } : {}), count: reply.count };
  }

  private ask(command: LcdmCommand): Promise<Uint8Array> {
    return this.link.exchange(command);
  }

  /** A reply that does not parse is a device fault, not a driver crash. */
  private async parse<T>(read: () => T | Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (err) {
      if (err instanceof LcdmReplyError || err instanceof RecordFormatError) throw new DeviceError('hardwareError', err.message);
      throw err;
    }
  }
}
