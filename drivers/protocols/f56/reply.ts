import { CASSETTES, fromParityDigit } from './commands.js';
import { FS } from './frame.js';

export class F56ReplyError extends Error {
  override readonly name = 'F56ReplyError';
}

/** `res[0] == F0` ⇒ error, code in res[3..4] (two ASCII hex digits in our model). */
export const ERROR_MARK = 0xf0;

export type F56Level = 'ok' | 'nearEnd' | 'empty';

export interface F56Status {
  readonly cassettes: readonly { readonly present: boolean; readonly level: F56Level }[];
  readonly shutterOpen: boolean;
  readonly exitOccupied: boolean;
  readonly shutterJammed: boolean;
  readonly stackerHeld: boolean;
  readonly rejectFull: boolean;
  readonly jammed: boolean;
  readonly stackerUnknown: boolean;
}

/** Dispensed @0x27+2k, rejected @0x2F+2k (§1c). */
export interface F56DispenseCounts {
  readonly dispensed: readonly number[];
  readonly rejected: readonly number[];
}

const SENSORS_AT = 0x0c;
const DISPENSED_AT = 0x27;
const REJECTED_AT = 0x2f;

const bit = (v: number, n: number): boolean => ((v >> n) & 1) === 1;

function body(data: Uint8Array): Uint8Array {
  if (data[data.length - 1] !== FS) throw new F56ReplyError('reply does not end with FS');
  return data.subarray(0, -1);
}

/** The error code of an error reply (`F0 …`), undefined for a normal one. */
export function replyErrorCode(data: Uint8Array): number | undefined {
  const res = body(data);
  if (res[0] !== ERROR_MARK) return undefined;
  if (res.length < 5) throw new F56ReplyError('error reply too short');
  const code = parseInt(String.fromCharCode(res[3] as number, res[4] as number), 16);
  if (!/^[0-9A-F]{2}$/.test(String.fromCharCode(res[3] as number, res[4] as number))) throw new F56ReplyError('error code is not hex');
  return code;
}

/** Sensor status reply: cassettes @0x0C..0x0F, shutter/exit @0x10, transport @0x11. */
export function parseSensorStatus(data: Uint8Array): F56Status {
  const res = body(data);
  if (res.length < SENSORS_AT + CASSETTES + 2 || res[0] !== 0x00 || res[1] !== 0x01) throw new F56ReplyError('not a sensor status reply');
  const exit = res[SENSORS_AT + CASSETTES] as number;
  const transport = res[SENSORS_AT + CASSETTES + 1] as number;
  return {
    cassettes: Array.from({ length: CASSETTES }, (_, i) => {
      const c = res[SENSORS_AT + i] as number;
      return { present: bit(c, 0), level: bit(c, 2) ? 'empty' : bit(c, 1) ? 'nearEnd' : 'ok' };
    }),
    shutterOpen: bit(exit, 0),
    exitOccupied: bit(exit, 1),
    shutterJammed: bit(exit, 2),
    stackerHeld: bit(transport, 0),
    rejectFull: bit(transport, 1),
    jammed: bit(transport, 2),
    stackerUnknown: bit(transport, 3),
  };
}

function counts(res: Uint8Array, from: number): number[] {
  return Array.from({ length: CASSETTES }, (_, k) => {
    const hi = fromParityDigit(res[from + 2 * k] as number);
    const lo = fromParityDigit(res[from + 2 * k + 1] as number);
    if (hi === undefined || lo === undefined) throw new F56ReplyError('count digit with bad parity');
    return hi * 10 + lo;
  });
}

/** Dispense reply `xx 03 99 …`; an error reply (`F0`) carries the same counts. */
export function parseDispense(data: Uint8Array): F56DispenseCounts {
  const res = body(data);
  if (res.length < REJECTED_AT + 2 * CASSETTES) throw new F56ReplyError('dispense reply too short');
  if (res[0] !== ERROR_MARK && (res[1] !== 0x03 || res[2] !== 0x99)) throw new F56ReplyError('not a dispense reply');
  return { dispensed: counts(res, DISPENSED_AT), rejected: counts(res, REJECTED_AT) };
}

/** Extension replies `E0 nn 00 <ASCII text> FS`. */
export function parseExtensionText(data: Uint8Array): string {
  const res = body(data);
  if (res.length < 3) throw new F56ReplyError('extension reply too short');
  const text = res.subarray(3);
  if (text.some((b) => b < 0x20 || b > 0x7e)) throw new F56ReplyError('extension text is not ASCII');
  return String.fromCharCode(...text);
}
