import { EventEmitter } from 'node:events';
import ModbusSerial from 'modbus-serial';
import crc16 from 'modbus-serial/utils/crc16.js';
import type { Clock } from '../common/clock.js';
import { CommandQueue } from '../common/command-queue.js';
import { CanceledError, DeviceTimeoutError } from '../common/completion.js';
import type { Unsubscribe } from '../common/events.js';
import { ModbusExceptionError, ModbusLinkError, type ModbusMaster } from '../common/modbus-master.js';
import type { ByteTransport } from '../common/transport.js';

export interface ModbusRtuMasterOptions {
  readonly clock: Clock;
  /** The slave's unit address, 1–247. Default 1. */
  readonly unitId?: number;
  /** How long to wait for one answer, in ms. Default 200. */
  readonly responseTimeoutMs?: number;
}

/** The largest RTU frame (Modbus over Serial Line V1.02, §2.5.1.1). */
const MAX_RTU_FRAME = 256;
const EXCEPTION_FRAME = 5;

/**
 * Modbus RTU master over any ByteTransport, using the `modbus-serial` package
 * for request encoding, CRC checking and answer decoding. Our code only cuts
 * the byte stream into answer frames (modbus-serial's own ports open the
 * serial device themselves; this one rides on the transport the runtime made)
 * and times requests on the injected Clock.
 */
export class ModbusRtuMaster implements ModbusMaster {
  readonly description: string;
  private readonly port: RtuAnswerPort;
  private readonly client: InstanceType<typeof ModbusSerial.default>;
  private readonly queue = new CommandQueue();
  private readonly clock: Clock;
  private readonly responseTimeoutMs: number;

  constructor(transport: ByteTransport, options: ModbusRtuMasterOptions) {
    const unitId = options.unitId ?? 1;
    this.clock = options.clock;
    this.responseTimeoutMs = options.responseTimeoutMs ?? 200;
    this.description = `${transport.description} unit ${unitId}`;
    this.port = new RtuAnswerPort(transport, unitId);
    this.client = new ModbusSerial.default(this.port);
    this.client.setID(unitId);
  }

  get isOpen(): boolean {
    return this.port.isOpen;
  }

  async open(signal?: AbortSignal): Promise<void> {
    if (this.port.isOpen) return;
    await this.port.openTransport(signal);
    await new Promise<void>((resolve, reject) => this.client.open((err: unknown) => (err ? reject(toError(err)) : resolve())));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.client.close(() => resolve()));
  }

  readCoils(address: number, count: number, signal: AbortSignal): Promise<boolean[]> {
    return this.transact(signal, `FC01 @${address}`, async () => bits(await this.client.readCoils(address, count), count));
  }

  readDiscreteInputs(address: number, count: number, signal: AbortSignal): Promise<boolean[]> {
    return this.transact(signal, `FC02 @${address}`, async () =>
      bits(await this.client.readDiscreteInputs(address, count), count),
    );
  }

  readHoldingRegisters(address: number, count: number, signal: AbortSignal): Promise<number[]> {
    return this.transact(signal, `FC03 @${address}`, async () => (await this.client.readHoldingRegisters(address, count)).data);
  }

  readInputRegisters(address: number, count: number, signal: AbortSignal): Promise<number[]> {
    return this.transact(signal, `FC04 @${address}`, async () => (await this.client.readInputRegisters(address, count)).data);
  }

  writeCoil(address: number, value: boolean, signal: AbortSignal): Promise<void> {
    return this.transact(signal, `FC05 @${address}`, async () => void (await this.client.writeCoil(address, value)));
  }

  writeCoils(address: number, values: readonly boolean[], signal: AbortSignal): Promise<void> {
    return this.transact(signal, `FC15 @${address}`, async () => void (await this.client.writeCoils(address, [...values])));
  }

  writeRegister(address: number, value: number, signal: AbortSignal): Promise<void> {
    return this.transact(signal, `FC06 @${address}`, async () => void (await this.client.writeRegister(address, value)));
  }

  writeRegisters(address: number, values: readonly number[], signal: AbortSignal): Promise<void> {
    return this.transact(signal, `FC16 @${address}`, async () => void (await this.client.writeRegisters(address, [...values])));
  }

  /**
   * One request at a time, bounded by our Clock. A request that times out is
   * abandoned: its late answer is discarded when the next request is written.
   */
  private transact<T>(signal: AbortSignal, what: string, body: () => Promise<T>): Promise<T> {
    return this.queue.run(
      signal,
      () =>
        new Promise<T>((resolve, reject) => {
          let settled = false;
          const settle = (finish: () => void): void => {
            if (settled) return;
            settled = true;
            this.clock.clearTimeout(timer);
            signal.removeEventListener('abort', onAbort);
            finish();
          };
          const onAbort = (): void => settle(() => reject(new CanceledError(`${what} canceled`)));
          const timer = this.clock.setTimeout(
            () => settle(() => reject(new DeviceTimeoutError(`no answer to ${what} from ${this.description}`))),
            this.responseTimeoutMs,
          );
          signal.addEventListener('abort', onAbort, { once: true });
          body().then(
            (value) => settle(() => resolve(value)),
            (err: unknown) => settle(() => reject(mapError(err, what))),
          );
        }),
    );
  }
}

/** modbus-serial pads bit answers to whole bytes; callers asked for `count`. */
function bits(result: { data: boolean[] }, count: number): boolean[] {
  return result.data.slice(0, count);
}

function mapError(err: unknown, what: string): Error {
  const modbusCode = (err as { modbusCode?: unknown } | null)?.modbusCode;
  if (typeof modbusCode === 'number') return new ModbusExceptionError(modbusCode, `${what}: ${toError(err).message}`);
  return new ModbusLinkError(`${what}: ${toError(err).message}`);
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * The port object modbus-serial drives: an EventEmitter with open/close/write
 * that emits one whole answer frame per 'data' event. An RTU answer's length
 * follows from the request (Modbus Application Protocol §6), so the port
 * remembers what it last wrote and emits the first stretch of the stream with
 * a matching header, that length and a good CRC. Line noise and a late answer
 * to an abandoned request (which may straddle the new request's write) are
 * skipped that way; whatever is buffered when a request goes out is dropped.
 */
class RtuAnswerPort extends EventEmitter {
  private buffer: number[] = [];
  private expected: { readonly functionCode: number; readonly length: number } | undefined;
  private offData: Unsubscribe | undefined;
  private offClose: Unsubscribe | undefined;

  constructor(
    private readonly transport: ByteTransport,
    private readonly unitId: number,
  ) {
    super();
    // modbus-serial registers its own; without one an 'error' event would crash Node.
    this.on('error', () => undefined);
  }

  get isOpen(): boolean {
    return this.transport.isOpen && this.offData !== undefined;
  }

  async openTransport(signal?: AbortSignal): Promise<void> {
    await this.transport.open(signal);
    this.offData ??= this.transport.onData((chunk) => this.receive(chunk));
    this.offClose ??= this.transport.onClose(() => this.emit('close'));
  }

  /** Called by modbus-serial after `openTransport`; the line is already up. */
  open(callback: (err: Error | null) => void): void {
    callback(this.isOpen ? null : new Error(`${this.transport.description} is not open`));
  }

  close(callback?: () => void): void {
    this.offData?.();
    this.offClose?.();
    this.offData = undefined;
    this.offClose = undefined;
    this.buffer = [];
    void this.transport.close().finally(() => callback?.());
  }

  write(request: Buffer): void {
    this.buffer = [];
    const functionCode = request[1] ?? 0;
    this.expected = { functionCode, length: answerLength(request) };
    this.transport.write(new Uint8Array(request)).catch((err: unknown) => this.emit('error', toError(err)));
  }

  private receive(chunk: Uint8Array): void {
    this.buffer.push(...chunk);
    if (this.buffer.length > MAX_RTU_FRAME) this.buffer = this.buffer.slice(-MAX_RTU_FRAME);
    const expected = this.expected;
    if (!expected) return;
    for (let i = 0; i + EXCEPTION_FRAME <= this.buffer.length; i++) {
      if (this.buffer[i] !== this.unitId) continue;
      const functionCode = this.buffer[i + 1];
      const length =
        functionCode === expected.functionCode
          ? expected.length
          : functionCode === (expected.functionCode | 0x80)
            ? EXCEPTION_FRAME
            : undefined;
      // Too short yet: the rest may still be on the wire, or this is not the answer.
      if (length === undefined || i + length > this.buffer.length) continue;
      const frame = Buffer.from(this.buffer.slice(i, i + length));
      if (!crcMatches(frame)) continue;
      this.buffer = this.buffer.slice(i + length);
      this.expected = undefined;
      this.emit('data', frame);
      return;
    }
  }
}

/** The last two bytes are the CRC-16/MODBUS of the rest, low byte first. */
function crcMatches(frame: Buffer): boolean {
  return crc16(frame.subarray(0, -2)) === frame.readUInt16LE(frame.length - 2);
}

/** Bytes in a normal answer to `request`: address, function, data, CRC. */
function answerLength(request: Buffer): number {
  const functionCode = request[1];
  const quantity = request.length >= 6 ? request.readUInt16BE(4) : 0;
  switch (functionCode) {
    case 0x01:
    case 0x02:
      return 3 + Math.ceil(quantity / 8) + 2;
    case 0x03:
    case 0x04:
      return 3 + 2 * quantity + 2;
    default:
      // 05, 06, 0F, 10 echo address and value/quantity.
      return 8;
  }
}
