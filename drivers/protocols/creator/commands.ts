import { encodeFrame } from './frame.js';

/**
 * Host commands of the Creator C/P/N protocol: TEXT = `'C' CM PM [data]`, all
 * ASCII (protocols.md §3a; entry enable/disable is the `':'` pair of the same
 * C/P/N family, §3b, because the CRT-310 entry codes are not public).
 */
export interface CreatorCommand {
  readonly cm: number;
  readonly pm: number;
  readonly data: Uint8Array;
}

const COMMAND_MARK = 0x43; // 'C'
const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const command = (cm: string, pm: string, data = ''): CreatorCommand => ({
  cm: cm.charCodeAt(0),
  pm: pm.charCodeAt(0),
  data: ascii(data),
});

/** `C 0 3`: initialise the mechanism without moving a card that is inside. */
export const INITIALISE = command('0', '3');
/** `C 1 0`: card position and capture-bin status. */
export const STATUS = command('1', '0');
/** `C 1 1`: status plus the photo sensors and the IC contact unit. */
export const SENSORS = command('1', '1');
/** `C : 0` / `C : 1`: open / close the entry (shutter) for a customer's card. */
export const ENABLE_ENTRY = command(':', '0');
export const DISABLE_ENTRY = command(':', '1');
/** `C 6 0 0170`: magnetic read mode, ASCII, all three tracks. */
export const SET_READ_MODE = command('6', '0', '0170');
/** `C 6 1 07`: read tracks 1–3 in ASCII; the reply separates the tracks with 0x7E. */
export const READ_TRACKS = command('6', '1', '07');

/** Where `C 2 n` moves the card. */
export const MOVE_TARGETS = {
  /** `C 2 0`: eject to the gate, where the customer takes it. */
  gate: '0',
  /** `C 2 1`: IC position, the chip pressed onto the contacts. */
  ic: '1',
  /** `C 2 2`: RF position, wholly inside the transport. */
  rf: '2',
  /** `C 2 3`: capture to the retain (error) bin. */
  retain: '3',
  /** `C 2 9`: front holding position, behind the gate. */
  frontHold: '9',
} as const;
export type MoveTarget = keyof typeof MOVE_TARGETS;

export function moveCommand(target: MoveTarget): CreatorCommand {
  return command('2', MOVE_TARGETS[target]);
}

export function commandText(cmd: CreatorCommand): Uint8Array {
  const text = new Uint8Array(3 + cmd.data.length);
  text.set([COMMAND_MARK, cmd.cm, cmd.pm]);
  text.set(cmd.data, 3);
  return text;
}

export function encodeCommand(address: number, cmd: CreatorCommand): Uint8Array {
  return encodeFrame({ address, text: commandText(cmd) });
}

/** `CM PM` as text, for log lines and error descriptions (never the data). */
export function commandName(cmd: { readonly cm: number; readonly pm: number }): string {
  return `C${String.fromCharCode(cmd.cm)}${String.fromCharCode(cmd.pm)}`;
}
