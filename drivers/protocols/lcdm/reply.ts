import { CASSETTES, OFFSET } from './commands.js';

/** A reply whose data does not have the documented shape. */
export class LcdmReplyError extends Error {
  override readonly name = 'LcdmReplyError';
}

/** DISP sensor bits (§1b public driver): blocked = a note is over the sensor. */
export interface LcdmSensors {
  readonly dvtLeft: boolean;
  readonly dvtRight: boolean;
  readonly ejt: boolean;
  readonly exit: boolean;
  readonly reject: boolean;
}

export type CassetteLevel = 'ok' | 'nearEnd' | 'empty';

export interface LcdmCassetteStatus {
  /** TYPE byte: 0x30 = removed, 0x31..0x34 = present at that position. */
  readonly present: boolean;
  /** STAT byte as our model reads it: '0' normal, '1' near end, '2' empty. */
  readonly level: CassetteLevel;
  readonly opacity: number;
  readonly length: number;
}

/** Our extension byte after the four cassette blocks (0x20 + bitmap). */
export interface LcdmExtendedStatus {
  readonly stackerHeld: boolean;
  readonly exitOccupied: boolean;
  readonly rejectFull: boolean;
  readonly jammed: boolean;
  readonly stackerUnknown: boolean;
}

export interface LcdmStatus {
  readonly error: number;
  readonly sensors: LcdmSensors;
  readonly cassettes: readonly LcdmCassetteStatus[];
  readonly extended: LcdmExtendedStatus;
}

export interface LcdmCassetteCount {
  /** EXITn: notes that passed to the exit side (dispensed). */
  readonly exit: number;
  /** REJECTn: reject events (notes diverted to the reject tray). */
  readonly rejected: number;
  readonly present: boolean;
}

/** DISPENSE, TEST DISPENSE and PURGE replies: `ERR MISS (EXIT REJECT TYPE)×4 [RSV×9]`. */
export interface LcdmCountsReply {
  readonly error: number;
  readonly cassettes: readonly LcdmCassetteCount[];
}

/** LAST STATUS: the last operation's command code, then a counts reply. */
export interface LcdmLastStatus extends LcdmCountsReply {
  readonly lastCommand: number;
}

const LEVELS: Readonly<Record<number, CassetteLevel>> = { 0x30: 'ok', 0x31: 'nearEnd', 0x32: 'empty' };

function need(data: Uint8Array, length: number, what: string): void {
  if (data.length < length) throw new LcdmReplyError(`${what} reply has ${data.length} bytes, needs ${length}`);
}

function count(byte: number, what: string): number {
  if (byte < OFFSET) throw new LcdmReplyError(`${what} byte 0x${byte.toString(16)} below 0x20`);
  return byte - OFFSET;
}

function bit(value: number, n: number): boolean {
  return ((value >> n) & 1) === 1;
}

/** The ERR byte every reply starts with, as the code (0 = no error). */
export function replyError(data: Uint8Array): number {
  need(data, 1, 'any');
  return count(data[0] as number, 'ERR');
}

export function parseStatus(data: Uint8Array): LcdmStatus {
  need(data, 2 + CASSETTES * 4, 'STATUS');
  const disp = count(data[1] as number, 'DISP');
  const cassettes = Array.from({ length: CASSETTES }, (_, i) => {
    const at = 2 + i * 4;
    const stat = data[at] as number;
    const level = LEVELS[stat];
    if (level === undefined) throw new LcdmReplyError(`STAT${i + 1} 0x${stat.toString(16)} unknown`);
    const type = data[at + 1] as number;
    if (type !== 0x30 && type !== 0x31 + i) throw new LcdmReplyError(`TYPE${i + 1} 0x${type.toString(16)} unknown`);
    return { present: type !== 0x30, level, opacity: count(data[at + 2] as number, 'OPAC'), length: count(data[at + 3] as number, 'LENG') };
  });
  const ext = data.length > 2 + CASSETTES * 4 ? count(data[2 + CASSETTES * 4] as number, 'EXT') : 0;
  return {
    error: replyError(data),
    sensors: { dvtLeft: bit(disp, 0), dvtRight: bit(disp, 1), ejt: bit(disp, 2), exit: bit(disp, 3), reject: bit(disp, 4) },
    cassettes,
    extended: {
      stackerHeld: bit(ext, 0),
      exitOccupied: bit(ext, 1),
      rejectFull: bit(ext, 2),
      jammed: bit(ext, 3),
      stackerUnknown: bit(ext, 4),
    },
  };
}

function parseCassetteCounts(data: Uint8Array, from: number): LcdmCassetteCount[] {
  return Array.from({ length: CASSETTES }, (_, i) => {
    const at = from + i * 3;
    const type = data[at + 2] as number;
    if (type !== 0x30 && type !== 0x31 + i) throw new LcdmReplyError(`TYPE${i + 1} 0x${type.toString(16)} unknown`);
    return { exit: count(data[at] as number, 'EXIT'), rejected: count(data[at + 1] as number, 'REJECT'), present: type !== 0x30 };
  });
}

export function parseCounts(data: Uint8Array): LcdmCountsReply {
  need(data, 2 + CASSETTES * 3, 'counts');
  return { error: replyError(data), cassettes: parseCassetteCounts(data, 2) };
}

export function parseLastStatus(data: Uint8Array): LcdmLastStatus {
  need(data, 3 + CASSETTES * 3, 'LAST STATUS');
  return { lastCommand: data[0] as number, error: replyError(data.subarray(1)), cassettes: parseCassetteCounts(data, 3) };
}

/** Extension replies `ERR | count` (present, retract). */
export function parseCountReply(data: Uint8Array): { readonly error: number; readonly count: number } {
  need(data, 2, 'count');
  return { error: replyError(data), count: count(data[1] as number, 'count') };
}

/** Extension replies `ERR | ASCII text` (nonce, present-status token, transaction record). */
export function parseTextReply(data: Uint8Array): { readonly error: number; readonly text: string } {
  const error = replyError(data);
  const body = data.subarray(1);
  if (body.some((b) => b > 0x7e)) throw new LcdmReplyError('text reply is not ASCII');
  return { error, text: String.fromCharCode(...body) };
}
