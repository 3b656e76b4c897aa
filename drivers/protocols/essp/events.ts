import { readU32le } from './commands.js';

/**
 * Poll reply events (GA138 / protocols.md §2a; SMART Payout events with
 * protocol-6 value lists), plus the escrow-module extension events 0x9A–0x9C
 * of the simulated device (see commands.ts EXT).
 */
export const EVENT = {
  slaveReset: 0xf1,
  read: 0xef,
  credit: 0xee,
  rejecting: 0xed,
  rejected: 0xec,
  stacking: 0xcc,
  stacked: 0xeb,
  unsafeJam: 0xe9,
  safeJam: 0xea,
  disabled: 0xe8,
  stackerFull: 0xe7,
  fraudAttempt: 0xe6,
  cashboxRemoved: 0xe3,
  cashboxReplaced: 0xe4,
  noteClearedFront: 0xe1,
  noteClearedCashbox: 0xe2,
  notePathOpen: 0xe0,
  channelDisable: 0xb5,
  initialising: 0xb6,
  dispensing: 0xda,
  dispensed: 0xd2,
  jammed: 0xd5,
  halted: 0xd6,
  incompletePayout: 0xdc,
  noteStoredInPayout: 0xdb,
  noteHeldInBezel: 0xce,
  emptying: 0xc3,
  emptied: 0xc4,
  smartEmptying: 0xb3,
  smartEmptied: 0xb4,
  /** Extension: a note entered the escrow stack: ch, quality (0 fit, 1 unfit), serial len, serial. */
  noteEscrowed: 0x9a,
  /** Extension: a note was kept: ch, reason (0 counterfeit, 1 suspect), serial len, serial. */
  noteRetained: 0x9b,
  /** Extension: a note was handed back unread (the customer gets it in the bezel); serial len, serial. */
  noteReturned: 0x9c,
} as const;

type Code = (typeof EVENT)[keyof typeof EVENT];
export type EventName = keyof typeof EVENT;

const NAMES = new Map<number, EventName>(Object.entries(EVENT).map(([k, v]) => [v, k as EventName]));

export interface ValueAmount {
  readonly value: number;
  readonly currency: string;
}

export type EsspEvent =
  | {
      readonly name: 'read' | 'credit' | 'fraudAttempt' | 'noteClearedFront' | 'noteClearedCashbox';
      readonly channel: number;
    }
  | {
      readonly name:
        | 'dispensing'
        | 'dispensed'
        | 'jammed'
        | 'halted'
        | 'noteHeldInBezel'
        | 'smartEmptying'
        | 'smartEmptied';
      readonly amounts: readonly ValueAmount[];
    }
  | {
      readonly name: 'incompletePayout';
      readonly dispensed: number;
      readonly requested: number;
      readonly currency: string;
    }
  | { readonly name: 'noteEscrowed'; readonly channel: number; readonly unfit: boolean; readonly serial: string }
  | { readonly name: 'noteRetained'; readonly channel: number; readonly suspect: boolean; readonly serial: string }
  | { readonly name: 'noteReturned'; readonly serial: string }
  | {
      readonly name: Exclude<
        EventName,
        | 'read'
        | 'credit'
        | 'fraudAttempt'
        | 'noteClearedFront'
        | 'noteClearedCashbox'
        | 'dispensing'
        | 'dispensed'
        | 'jammed'
        | 'halted'
        | 'noteHeldInBezel'
        | 'smartEmptying'
        | 'smartEmptied'
        | 'incompletePayout'
        | 'noteEscrowed'
        | 'noteRetained'
        | 'noteReturned'
      >;
    };

const CHANNEL_EVENTS = new Set<Code>([
  EVENT.read,
  EVENT.credit,
  EVENT.fraudAttempt,
  EVENT.noteClearedFront,
  EVENT.noteClearedCashbox,
]);
const VALUE_EVENTS = new Set<Code>([
  EVENT.dispensing,
  EVENT.dispensed,
  EVENT.jammed,
  EVENT.halted,
  EVENT.noteHeldInBezel,
  EVENT.smartEmptying,
  EVENT.smartEmptied,
]);

export type PollParse =
  | { readonly ok: true; readonly events: readonly EsspEvent[] }
  | { readonly ok: false; readonly reason: string; readonly events: readonly EsspEvent[] };

const text = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

/**
 * Parses the bytes after F0 of a poll reply. An unknown code or a truncated
 * event stops the parse: event lengths depend on the code, so nothing after
 * it can be trusted. Never throws.
 */
export function parsePollEvents(body: Uint8Array): PollParse {
  const events: EsspEvent[] = [];
  let at = 0;
  const fail = (reason: string): PollParse => ({ ok: false, reason, events });
  while (at < body.length) {
    const code = body[at++]! as Code;
    const name = NAMES.get(code);
    if (!name) return fail(`unknown event 0x${code.toString(16)}`);
    if (CHANNEL_EVENTS.has(code)) {
      if (at + 1 > body.length) return fail(`${name} truncated`);
      events.push({ name, channel: body[at++]! } as EsspEvent);
    } else if (VALUE_EVENTS.has(code)) {
      const n = body[at];
      if (n === undefined || at + 1 + 7 * n > body.length) return fail(`${name} truncated`);
      const amounts = Array.from({ length: n }, (_, i) => ({
        value: readU32le(body, at + 1 + 7 * i),
        currency: text(body.slice(at + 5 + 7 * i, at + 8 + 7 * i)),
      }));
      at += 1 + 7 * n;
      events.push({ name, amounts } as EsspEvent);
    } else if (code === EVENT.incompletePayout) {
      if (at + 12 > body.length || body[at] !== 1) return fail('incompletePayout truncated');
      events.push({
        name: 'incompletePayout',
        dispensed: readU32le(body, at + 1),
        requested: readU32le(body, at + 5),
        currency: text(body.slice(at + 9, at + 12)),
      });
      at += 12;
    } else if (code === EVENT.noteEscrowed || code === EVENT.noteRetained) {
      const len = body[at + 2];
      if (len === undefined || at + 3 + len > body.length) return fail(`${name} truncated`);
      const channel = body[at]!;
      const flag = body[at + 1] === 1;
      const serial = text(body.slice(at + 3, at + 3 + len));
      at += 3 + len;
      events.push(
        code === EVENT.noteEscrowed
          ? { name: 'noteEscrowed', channel, unfit: flag, serial }
          : { name: 'noteRetained', channel, suspect: flag, serial },
      );
    } else if (code === EVENT.noteReturned) {
      const len = body[at];
      if (len === undefined || at + 1 + len > body.length) return fail('noteReturned truncated');
      events.push({ name: 'noteReturned', serial: text(body.slice(at + 1, at + 1 + len)) });
      at += 1 + len;
    } else events.push({ name } as EsspEvent);
  }
  return { ok: true, events };
}
