import type { FlashRate, LightName } from '../../lights/contract.js';

/**
 * The kiosk I/O board's Modbus register map (docs/devices/io-board.md). All
 * addresses are 0-based PDU addresses. The simulator keeps its own copy of
 * these numbers, transcribed from the document, so that a slip here shows up
 * as a failing test rather than two matching mistakes.
 */

/** Discrete inputs (FC 02), one bit each, 1 = the condition is true. */
export const DISCRETE_INPUTS = {
  /** Operator key switch, low bit: see OPERATOR_SWITCH_CODES. */
  operatorSwitchBit0: 0,
  /** Operator key switch, high bit. */
  operatorSwitchBit1: 1,
  safeDoorOpen: 2,
  cabinetDoorOpen: 3,
  vandalShieldOpen: 4,
  tamperActive: 5,
  headphonesInserted: 6,
  /** Mains lost: the kiosk runs on the UPS battery. */
  upsOnBattery: 7,
  upsBatteryLow: 8,
} as const;
export const DISCRETE_INPUT_COUNT = 9;

/** The two switch bits read as `bit1 << 1 | bit0`; 3 is a broken switch. */
export const OPERATOR_SWITCH_CODES = ['run', 'supervisor', 'maintenance'] as const;

/** Coils (FC 01 / 05 / 0F). */
export const COILS = {
  audibleAlarm: 0,
} as const;
export const COIL_COUNT = 1;

/** Holding registers (FC 03 / 06 / 10): one guidance light each, value = flash-rate code. */
export const LIGHT_REGISTERS: Readonly<Partial<Record<LightName, number>>> = {
  cardReader: 0,
  pinPad: 1,
  notesDispenser: 2,
  receiptPrinter: 3,
  idCardReader: 4,
  cardDispenser: 5,
  scanner: 6,
};
export const LIGHT_REGISTER_COUNT = 7;

/** Flash-rate register values; the board answers exception 03 for anything else. */
export const FLASH_RATE_CODES: readonly FlashRate[] = ['off', 'slow', 'medium', 'quick', 'continuous'];

/** Input registers (FC 04). */
export const INPUT_REGISTERS = {
  /** Firmware version, major in the high byte, minor in the low byte. */
  firmwareVersion: 0,
  /** Board serial number, high word then low word. */
  serialHigh: 1,
  serialLow: 2,
} as const;
export const INPUT_REGISTER_COUNT = 3;

export function flashRateCode(rate: FlashRate): number {
  return FLASH_RATE_CODES.indexOf(rate);
}

/** undefined for a value the map does not define (a board fault). */
export function flashRateOf(code: number): FlashRate | undefined {
  return FLASH_RATE_CODES[code];
}
