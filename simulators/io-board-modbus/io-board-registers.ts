import type { RtuRequest } from './rtu-frame.js';

/*
 * The board's side of the register map in docs/devices/io-board.md,
 * transcribed from the document on its own (not imported from the driver):
 * a mismatch between the two is what the integration tests are there to catch.
 */
export const OPERATOR_SWITCH = { run: 0b00, supervisor: 0b01, maintenance: 0b10 } as const;
export type OperatorSwitchPosition = keyof typeof OPERATOR_SWITCH;

/** Discrete-input order, address 0 first. */
const INPUT_NAMES = [
  'operatorSwitchBit0',
  'operatorSwitchBit1',
  'safeDoorOpen',
  'cabinetDoorOpen',
  'vandalShieldOpen',
  'tamperActive',
  'headphonesInserted',
  'upsOnBattery',
  'upsBatteryLow',
] as const;

/** Holding registers 0–6, one light each. */
export const LIGHT_ORDER = [
  'cardReader',
  'pinPad',
  'notesDispenser',
  'receiptPrinter',
  'idCardReader',
  'cardDispenser',
  'scanner',
] as const;
export type BoardLight = (typeof LIGHT_ORDER)[number];
export const FLASH_RATES = ['off', 'slow', 'medium', 'quick', 'continuous'] as const;

const COIL_COUNT = 1;
const FIRMWARE_VERSION = 0x0102;
const SERIAL_NUMBER = 20260042;

const EXCEPTION = { illegalFunction: 0x01, illegalDataAddress: 0x02, illegalDataValue: 0x03 } as const;
/** Quantity limits of Modbus Application Protocol V1.1b3 §6. */
const MAX_READ_BITS = 2000;
const MAX_READ_REGISTERS = 125;
const MAX_WRITE_BITS = 1968;
const MAX_WRITE_REGISTERS = 123;

export interface BoardInputs {
  operatorSwitch: OperatorSwitchPosition;
  safeDoorOpen: boolean;
  cabinetDoorOpen: boolean;
  vandalShieldOpen: boolean;
  tamperActive: boolean;
  headphonesInserted: boolean;
  upsOnBattery: boolean;
  upsBatteryLow: boolean;
}

/** The board's memory: what the sensors read and what the outputs hold. */
export interface BoardMemory {
  readonly inputs: BoardInputs;
  /** Coil 0: audible alarm. */
  readonly coils: boolean[];
  /** Holding registers: flash-rate codes. */
  readonly lights: number[];
}

export function newBoardMemory(): BoardMemory {
  return {
    inputs: {
      operatorSwitch: 'run',
      safeDoorOpen: false,
      cabinetDoorOpen: false,
      vandalShieldOpen: false,
      tamperActive: false,
      headphonesInserted: false,
      upsOnBattery: false,
      upsBatteryLow: false,
    },
    coils: new Array<boolean>(COIL_COUNT).fill(false),
    lights: new Array<number>(LIGHT_ORDER.length).fill(0),
  };
}

function inputBits(inputs: BoardInputs): boolean[] {
  const code = OPERATOR_SWITCH[inputs.operatorSwitch];
  return INPUT_NAMES.map((name) => {
    if (name === 'operatorSwitchBit0') return (code & 1) !== 0;
    if (name === 'operatorSwitchBit1') return (code & 2) !== 0;
    return inputs[name];
  });
}

function inputRegisters(): number[] {
  return [FIRMWARE_VERSION, Math.floor(SERIAL_NUMBER / 0x10000), SERIAL_NUMBER % 0x10000];
}

/**
 * Executes one request PDU against the board's memory and returns the answer
 * PDU (function code first), an exception PDU for a bad function, address or
 * value, per Modbus Application Protocol V1.1b3 §6–7.
 */
export function serve(memory: BoardMemory, request: RtuRequest): number[] {
  const { functionCode: fc, data } = request;
  const word = (at: number): number => ((data[at] ?? 0) << 8) | (data[at + 1] ?? 0);
  const exception = (code: number): number[] => [fc | 0x80, code];
  const start = word(0);
  const quantity = word(2);
  const inRange = (count: number, size: number): boolean => start + count <= size;
  switch (fc) {
    case 0x01:
    case 0x02: {
      const bits = fc === 0x01 ? memory.coils : inputBits(memory.inputs);
      if (quantity < 1 || quantity > MAX_READ_BITS) return exception(EXCEPTION.illegalDataValue);
      if (!inRange(quantity, bits.length)) return exception(EXCEPTION.illegalDataAddress);
      return [fc, ...packBits(bits.slice(start, start + quantity))];
    }
    case 0x03:
    case 0x04: {
      const registers = fc === 0x03 ? memory.lights : inputRegisters();
      if (quantity < 1 || quantity > MAX_READ_REGISTERS) return exception(EXCEPTION.illegalDataValue);
      if (!inRange(quantity, registers.length)) return exception(EXCEPTION.illegalDataAddress);
      const values = registers.slice(start, start + quantity);
      return [fc, values.length * 2, ...values.flatMap((v) => [v >> 8, v & 0xff])];
    }
    case 0x05: {
      // The value field is FF 00 for ON and 00 00 for OFF, nothing else.
      if (quantity !== 0xff00 && quantity !== 0x0000) return exception(EXCEPTION.illegalDataValue);
      if (!inRange(1, memory.coils.length)) return exception(EXCEPTION.illegalDataAddress);
      memory.coils[start] = quantity === 0xff00;
      return [fc, ...data];
    }
    case 0x06: {
      if (!inRange(1, memory.lights.length)) return exception(EXCEPTION.illegalDataAddress);
      if (quantity >= FLASH_RATES.length) return exception(EXCEPTION.illegalDataValue);
      memory.lights[start] = quantity;
      return [fc, ...data];
    }
    case 0x0f: {
      const byteCount = data[4] ?? 0;
      if (quantity < 1 || quantity > MAX_WRITE_BITS || byteCount !== Math.ceil(quantity / 8) || data.length !== 5 + byteCount) {
        return exception(EXCEPTION.illegalDataValue);
      }
      if (!inRange(quantity, memory.coils.length)) return exception(EXCEPTION.illegalDataAddress);
      for (let i = 0; i < quantity; i++) memory.coils[start + i] = (((data[5 + (i >> 3)] ?? 0) >> (i & 7)) & 1) === 1;
      return [fc, ...data.slice(0, 4)];
    }
    case 0x10: {
      const byteCount = data[4] ?? 0;
      if (quantity < 1 || quantity > MAX_WRITE_REGISTERS || byteCount !== quantity * 2 || data.length !== 5 + byteCount) {
        return exception(EXCEPTION.illegalDataValue);
      }
      if (!inRange(quantity, memory.lights.length)) return exception(EXCEPTION.illegalDataAddress);
      const values = Array.from({ length: quantity }, (_, i) => word(5 + 2 * i));
      if (values.some((v) => v >= FLASH_RATES.length)) return exception(EXCEPTION.illegalDataValue);
      values.forEach((v, i) => (memory.lights[start + i] = v));
      return [fc, ...data.slice(0, 4)];
    }
    default:
      return exception(EXCEPTION.illegalFunction);
  }
}

/** Byte count, then the bits LSB-first, the last byte padded with zeros. */
function packBits(bits: readonly boolean[]): number[] {
  const bytes = new Array<number>(Math.ceil(bits.length / 8)).fill(0);
  bits.forEach((on, i) => {
    if (on) bytes[i >> 3] = (bytes[i >> 3] ?? 0) | (1 << (i & 7));
  });
  return [bytes.length, ...bytes];
}
