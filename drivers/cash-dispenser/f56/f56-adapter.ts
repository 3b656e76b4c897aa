import type { Clock } from '../../common/clock.js';
import { DeviceError } from '../../common/completion.js';
import type { ByteTransport } from '../../common/transport.js';
import { SENSOR_STATUS, dispenseCommand, extensionCommand, type ExtensionName } from '../../protocols/f56/commands.js';
import { F56ReplyError, parseDispense, parseExtensionText, parseSensorStatus, replyErrorCode } from '../../protocols/f56/reply.js';
import type { DeviceTransaction, DeviceView, DispenserAdapter, DispenseReport, DispenserFault, MoveReport } from '../dispenser-core-adapter.js';
import { RecordFormatError, parseTransactionRecord } from '../dispenser-core-record.js';
import { F56Link, type F56LinkOptions } from './f56-link.js';
import { f56Fault } from './f56-errors.js';

/**
 * The Fujitsu F56 protocol adapter: sensor status and count/dispense as in
 * protocols.md §1c, everything the public source does not show (shutter
 * present/retract, reject, reset, nonce, tokens, transaction record) through
 * our `E0 nn` extension commands.
 */
export class F56Adapter implements DispenserAdapter {
  readonly modelName = 'Fujitsu F56';
  readonly protocol = 'fujitsuF56';
  readonly retractAreas = ['reject'] as const;
  private readonly link: F56Link;

  constructor(transport: ByteTransport, clock: Clock, options: F56LinkOptions) {
    this.link = new F56Link(transport, clock, options);
  }

  start(): void {
    this.link.start();
  }

  stop(): void {
    this.link.stop();
  }

  serialNumber(): Promise<string> {
    return Promise.resolve('unknown');
  }

  async status(): Promise<DeviceView> {
    const data = await this.link.exchange(SENSOR_STATUS, 'sensor status');
    const s = await this.parse(() => parseSensorStatus(data));
    return {
      cassettes: s.cassettes,
      stacker: !s.stackerHeld ? 'empty' : s.stackerUnknown ? 'unknown' : 'notEmpty',
      exitOccupied: s.exitOccupied,
      shutter: s.shutterJammed ? 'jammed' : s.shutterOpen ? 'open' : 'closed',
      rejectFull: s.rejectFull,
      jammed: s.jammed,
    };
  }

  async dispense(counts: readonly number[], token: string | undefined, timeoutMs: number): Promise<DispenseReport> {
    const data = await this.link.exchange(dispenseCommand(counts, token), 'dispense', timeoutMs);
    const fault = await this.parse(() => f56Fault(replyErrorCode(data)));
    if (fault?.kind === 'token') return { fault, delivered: counts.map(() => 0), rejected: counts.map(() => 0) };
    const reply = await this.parse(() => parseDispense(data));
    return { ...(fault ? { fault } : {}), delivered: reply.dispensed, rejected: reply.rejected };
  }

  present(): Promise<MoveReport> {
    return this.move('present');
  }

  reject(): Promise<MoveReport> {
    return this.move('reject');
  }

  retract(): Promise<MoveReport> {
    return this.move('retract');
  }

  reset(): Promise<MoveReport> {
    return this.move('reset');
  }

  async nonce(): Promise<{ readonly fault?: DispenserFault; readonly nonce: string }> {
    return this.text('nonce').then(({ fault, text }) => ({ ...(fault ? { fault } : {}), nonce: text }));
  }

  async clearNonce(): Promise<{ readonly fault?: DispenserFault }> {
    const { fault } = await this.text('clearNonce');
    return fault ? { fault } : {};
  }

  async presentStatusToken(nonce: string): Promise<{ readonly fault?: DispenserFault; readonly token: string }> {
    return this.text('presentStatus', nonce).then(({ fault, text }) => ({ ...(fault ? { fault } : {}), token: text }));
  }

  async transaction(): Promise<DeviceTransaction | undefined> {
    const { fault, text } = await this.text('record');
    if (fault) throw new DeviceError('hardwareError', 'the dispenser refused its transaction record');
    return this.parse(() => parseTransactionRecord(text, 4));
  }

  private async move(name: ExtensionName): Promise<MoveReport> {
    const { fault, text } = await this.text(name);
    return { ...(fault ? { fault } : {}), count: fault ? 0 : Number(text) };
  }

  private async text(name: ExtensionName, argument = ''): Promise<{ readonly fault?: DispenserFault; readonly text: string }> {
    const data = await this.link.exchange(extensionCommand(name, argument), name);
    return this.parse(() => {
      const fault = f56Fault(replyErrorCode(data));
      return fault ? { fault, text: '' } : { text: parseExtensionText(data) };
    });
  }

  private async parse<T>(read: () => T): Promise<T> {
    try {
      return await Promise.resolve(read());
    } catch (err) {
      if (err instanceof F56ReplyError || err instanceof RecordFormatError) throw new DeviceError('hardwareError', err.message);
      throw err;
    }
  }
}
