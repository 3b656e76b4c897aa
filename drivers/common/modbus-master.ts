/**
 * The master (client) end of a Modbus link, as device drivers see it. Drivers
 * that sit on a Modbus board (I/O boards, lights controllers) take this port
 * type; `drivers/transports/modbus-rtu-master.ts` implements it for RTU on a
 * serial line. Addresses are 0-based protocol addresses (PDU addresses), not
 * the 1-based "40001" register numbers of some manuals.
 *
 * Every call takes an AbortSignal and rejects with CanceledError when it
 * aborts, DeviceTimeoutError when the slave does not answer in time,
 * ModbusExceptionError when the slave answers with an exception, and
 * ModbusLinkError for a garbled or unexpected answer. Calls run one at a time:
 * RTU has no transaction ids, so the master never overlaps requests.
 */
export interface ModbusMaster {
  /** Human-readable endpoint, e.g. "/dev/ttyS1@19200 unit 1". */
  readonly description: string;
  readonly isOpen: boolean;
  /** Opens the underlying line. Rejects when it cannot be opened. Idempotent. */
  open(signal?: AbortSignal): Promise<void>;
  /** Closes the line; never rejects. */
  close(): Promise<void>;
  /** FC 01. */
  readCoils(address: number, count: number, signal: AbortSignal): Promise<boolean[]>;
  /** FC 02. */
  readDiscreteInputs(address: number, count: number, signal: AbortSignal): Promise<boolean[]>;
  /** FC 03. */
  readHoldingRegisters(address: number, count: number, signal: AbortSignal): Promise<number[]>;
  /** FC 04. */
  readInputRegisters(address: number, count: number, signal: AbortSignal): Promise<number[]>;
  /** FC 05. */
  writeCoil(address: number, value: boolean, signal: AbortSignal): Promise<void>;
  /** FC 15 (0x0F). */
  writeCoils(address: number, values: readonly boolean[], signal: AbortSignal): Promise<void>;
  /** FC 06. */
  writeRegister(address: number, value: number, signal: AbortSignal): Promise<void>;
  /** FC 16 (0x10). */
  writeRegisters(address: number, values: readonly number[], signal: AbortSignal): Promise<void>;
}

/**
 * The slave answered with an exception response (function code | 0x80);
 * codes per Modbus Application Protocol V1.1b3 §7 (01 illegal function,
 * 02 illegal data address, 03 illegal data value, 04 server device failure…).
 */
export class ModbusExceptionError extends Error {
  override readonly name = 'ModbusExceptionError';
  constructor(
    readonly exceptionCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** The answer was garbled (bad CRC, wrong length) or did not match the request. */
export class ModbusLinkError extends Error {
  override readonly name = 'ModbusLinkError';
}
