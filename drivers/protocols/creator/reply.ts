/**
 * Replies of the Creator C/P/N protocol (protocols.md §3a):
 * positive `'P' CM PM st0 st1 data`, negative `'N' CM PM e1 e0`.
 * st0 = card position ('0' none, '1' at the gate, '2' inside);
 * st1 = capture bin ('0' not full, '1' full sensor).
 */

export class CreatorReplyError extends Error {
  override readonly name = 'CreatorReplyError';
}

export type CardPlace = 'none' | 'gate' | 'inside';

export interface ReaderStatus {
  readonly card: CardPlace;
  readonly retainBinFull: boolean;
}

export type CreatorReply =
  | {
      readonly kind: 'positive';
      readonly cm: number;
      readonly pm: number;
      readonly status: ReaderStatus;
      readonly data: Uint8Array;
    }
  | {
      readonly kind: 'negative';
      readonly cm: number;
      readonly pm: number;
      /** Two ASCII characters `e1 e0`, e.g. "10". */
      readonly error: string;
    };

const POSITIVE = 0x50; // 'P'
const NEGATIVE = 0x4e; // 'N'
const CARD_PLACES: Readonly<Record<string, CardPlace>> = { '0': 'none', '1': 'gate', '2': 'inside' };
const ERROR_CHAR = /^[0-9A-F]{2}$/;

export function decodeReaderStatus(st0: number, st1: number): ReaderStatus {
  const card = CARD_PLACES[String.fromCharCode(st0)];
  if (card === undefined) throw new CreatorReplyError(`unknown card position st0=0x${st0.toString(16)}`);
  if (st1 !== 0x30 && st1 !== 0x31) throw new CreatorReplyError(`unknown bin status st1=0x${st1.toString(16)}`);
  return { card, retainBinFull: st1 === 0x31 };
}

export function parseReply(text: Uint8Array): CreatorReply {
  const [mark, cm, pm, a, b] = text;
  if (mark === undefined || cm === undefined || pm === undefined || a === undefined || b === undefined) {
    throw new CreatorReplyError(`reply of ${text.length} bytes is too short`);
  }
  if (mark === POSITIVE) return { kind: 'positive', cm, pm, status: decodeReaderStatus(a, b), data: text.slice(5) };
  if (mark === NEGATIVE) {
    const error = String.fromCharCode(a, b);
    if (text.length !== 5 || !ERROR_CHAR.test(error)) throw new CreatorReplyError('malformed negative reply');
    return { kind: 'negative', cm, pm, error };
  }
  throw new CreatorReplyError(`unknown reply mark 0x${mark.toString(16)}`);
}

/** The `C 1 1` data: photo sensors PD1 (gate) … PD5 (rear), then the IC contact unit; '1' = covered/engaged. */
export interface SensorStatus {
  readonly photo: readonly [boolean, boolean, boolean, boolean, boolean];
  readonly icContacts: boolean;
}

export function decodeSensors(data: Uint8Array): SensorStatus {
  if (data.length !== 6 || data.some((b) => b !== 0x30 && b !== 0x31)) {
    throw new CreatorReplyError('sensor data must be six ASCII 0/1 characters');
  }
  const on = (i: number): boolean => data[i] === 0x31;
  return { photo: [on(0), on(1), on(2), on(3), on(4)], icContacts: on(5) };
}

/** One track block of the `C 6 1` reply: `'P' chars` or `'N' e1 e0`. */
export type TrackBlock =
  | { readonly ok: true; readonly data: Uint8Array }
  | { readonly ok: false; readonly error: string };

const TRACK_SEPARATOR = 0x7e;

export function parseTracks(data: Uint8Array): readonly [TrackBlock, TrackBlock, TrackBlock] {
  const blocks: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= data.length; i++) {
    if (i === data.length || data[i] === TRACK_SEPARATOR) {
      blocks.push(data.slice(start, i));
      start = i + 1;
    }
  }
  const [t1, t2, t3] = blocks;
  if (blocks.length !== 3 || !t1 || !t2 || !t3) {
    throw new CreatorReplyError(`track data has ${blocks.length} blocks, expected 3`);
  }
  return [trackBlock(t1), trackBlock(t2), trackBlock(t3)];
}

function trackBlock(block: Uint8Array): TrackBlock {
  if (block[0] === POSITIVE) return { ok: true, data: block.slice(1) };
  const error = String.fromCharCode(...block.slice(1));
  if (block[0] === NEGATIVE && block.length === 3 && ERROR_CHAR.test(error)) return { ok: false, error };
  throw new CreatorReplyError('malformed track block');
}

/**
 * Error codes `e1 e0`. Creator's own list (§3a) is completed with the motion
 * codes of the same C/P/N family table (§3b: 10, 13, 14, 16, 40, 50).
 */
export const CREATOR_ERRORS: Readonly<Record<string, string>> = {
  '00': 'undefined command',
  '01': 'command parameter error',
  '02': 'command cannot be executed',
  '03': 'hardware not supported',
  '04': 'command data error',
  '10': 'card jam',
  '11': 'latch (shutter) failure',
  '13': 'card too long',
  '14': 'card too short',
  '15': 'EEPROM error',
  '16': 'card moved during the operation',
  '20': 'magnetic read error (parity)',
  '21': 'magnetic read error',
  '23': 'only SS/ES/LRC read',
  '24': 'blank track',
  '26': 'no start sentinel',
  '27': 'no end sentinel',
  '28': 'LRC error',
  '30': 'power down',
  '40': 'card pulled out',
  '41': 'IC module error',
  '50': 'capture counter full',
  '60': 'ICC short circuit',
  '61': 'ICC initialisation failed',
  '62': 'unsupported ICC command',
  '63': 'ICC does not respond',
  '65': 'ICC not initialised',
  '66': 'card type not supported',
  '69': 'no EMV mode',
};

export function errorDescription(code: string): string {
  return CREATOR_ERRORS[code] ?? `unknown error ${code}`;
}
