import { DLE, EOT } from './realtime-status.js';

/**
 * Custom VKP80 full status (protocols.md §6, after TerminalClient
 * CustomVKP80.cpp): the host sends `10 04 14` and the printer answers six
 * bytes `10 0F P U R N` — a header of DLE and 0x0F, then paper, user, and the
 * recoverable and unrecoverable error bytes.
 */

export const FULL_STATUS_REQUEST = Uint8Array.of(DLE, EOT, 0x14);
export const FULL_STATUS_LENGTH = 6;
const HEADER = [DLE, 0x0f] as const;

export interface Vkp80Status {
  /** P 0x01. */
  readonly paperEnd: boolean;
  /** P 0x04. */
  readonly nearEnd: boolean;
  /** P 0x20: a ticket waits in the presenter. */
  readonly ticketInPresenter: boolean;
  /** U 0x03: either cover sensor. */
  readonly coverOpen: boolean;
  /** U 0x08: paper motor running (printing or presenting). */
  readonly motorMoving: boolean;
  /** R 0x01: print head over temperature. */
  readonly headTemperatureError: boolean;
  /** R 0x02: RS-232 framing or overrun error. */
  readonly serialError: boolean;
  /** R 0x08: supply voltage out of range. */
  readonly powerSupplyError: boolean;
  /** R 0x40. */
  readonly paperJam: boolean;
  /** N 0x01. */
  readonly cutterError: boolean;
  /** N 0x4C: RAM/flash/EEPROM errors. */
  readonly memoryError: boolean;
}

/** Thrown for six bytes that are not a full-status answer. */
export class Vkp80StatusError extends Error {
  override readonly name = 'Vkp80StatusError';
}

const any = (byte: number, mask: number): boolean => (byte & mask) !== 0;

export function decodeFullStatus(frame: Uint8Array): Vkp80Status {
  if (frame.length !== FULL_STATUS_LENGTH || frame[0] !== HEADER[0] || frame[1] !== HEADER[1]) {
    throw new Vkp80StatusError(`not a VKP80 full status: ${[...frame].map((b) => b.toString(16)).join(' ')}`);
  }
  const [, , paper = 0, user = 0, recoverable = 0, unrecoverable = 0] = frame;
  return {
    paperEnd: any(paper, 0x01),
    nearEnd: any(paper, 0x04),
    ticketInPresenter: any(paper, 0x20),
    coverOpen: any(user, 0x03),
    motorMoving: any(user, 0x08),
    headTemperatureError: any(recoverable, 0x01),
    serialError: any(recoverable, 0x02),
    powerSupplyError: any(recoverable, 0x08),
    paperJam: any(recoverable, 0x40),
    cutterError: any(unrecoverable, 0x01),
    memoryError: any(unrecoverable, 0x4c),
  };
}

/**
 * Finds a full-status answer in a byte stream, one byte at a time: waits for
 * the `10 0F` header, skipping anything before it, then takes four bytes.
 */
export class FullStatusAssembler {
  private frame: number[] = [];

  push(byte: number): Vkp80Status | undefined {
    if (this.frame.length === 0) {
      if (byte === HEADER[0]) this.frame.push(byte);
      return undefined;
    }
    if (this.frame.length === 1 && byte !== HEADER[1]) {
      this.frame = byte === HEADER[0] ? [byte] : [];
      return undefined;
    }
    this.frame.push(byte);
    if (this.frame.length < FULL_STATUS_LENGTH) return undefined;
    const frame = Uint8Array.from(this.frame);
    this.frame = [];
    return decodeFullStatus(frame);
  }
}
