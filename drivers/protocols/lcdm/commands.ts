import { encodeFrame } from './frame.js';

/**
 * LCDM-4000 command codes (protocols.md §1b) and our vendor extensions in
 * 0x70–0x75, a range the public command list leaves unused. The extensions
 * exist because the real unit pre-dates XFS4IoT tokens and has no presenter
 * command; docs/devices/cash-dispenser.md describes each.
 */
export const LCDM_CMD = {
  reset: 0x44,
  status: 0x50,
  purge: 0x51,
  dispense: 0x52,
  testDispense: 0x53,
  lastStatus: 0x55,
  sensorDiagnostics: 0x58,
  serialNumber: 0x67,
  // --- extensions ---
  getNonce: 0x70,
  clearNonce: 0x71,
  present: 0x72,
  retract: 0x73,
  presentStatus: 0x74,
  transactionRecord: 0x75,
} as const;
export type LcdmCommandName = keyof typeof LCDM_CMD;

export const CASSETTES = 4;
/** Most notes one DISPENSE may request (Default limit 100 per transaction, §1b error 0x0C). */
export const MAX_NOTES_PER_COMMAND = 100;
/** Counts and values travel as `n + 0x20`. */
export const OFFSET = 0x20;
const SPACE = 0x20;
const RESERVED = 9;

export interface LcdmCommand {
  readonly name: LcdmCommandName;
  readonly data: Uint8Array;
}

const bare = (name: LcdmCommandName): LcdmCommand => ({ name, data: new Uint8Array(0) });
const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

export const STATUS = bare('status');
export const PURGE = bare('purge');
export const LAST_STATUS = bare('lastStatus');
export const GET_NONCE = bare('getNonce');
export const CLEAR_NONCE = bare('clearNonce');
export const PRESENT = bare('present');
export const RETRACT = bare('retract');
export const TRANSACTION_RECORD = bare('transactionRecord');

/**
 * DISPENSE / TEST DISPENSE: `QTY1..QTY4 (+0x20) | TO1 TO2 (0x20 = no timeout) | 9 × 0x20`.
 * Extension: an end-to-end token (printable ASCII) may follow the reserved bytes.
 */
export function dispenseCommand(counts: readonly number[], token?: string, test = false): LcdmCommand {
  if (counts.length !== CASSETTES) throw new RangeError(`${CASSETTES} cassette counts expected`);
  if (counts.some((n) => !Number.isInteger(n) || n < 0 || n > MAX_NOTES_PER_COMMAND)) {
    throw new RangeError(`counts must be integers 0..${MAX_NOTES_PER_COMMAND}`);
  }
  if (token !== undefined && !/^[!-~]{1,1024}$/.test(token)) throw new RangeError('token must be printable ASCII');
  const fixed = [...counts.map((n) => n + OFFSET), SPACE, SPACE, ...new Array<number>(RESERVED).fill(SPACE)];
  const data = Uint8Array.from([...fixed, ...(token === undefined ? [] : ascii(token))]);
  return { name: test ? 'testDispense' : 'dispense', data };
}

/** Extension 0x74: the host's nonce (upper-case hex) to sign a present-status token with. */
export function presentStatusCommand(nonce: string): LcdmCommand {
  if (!/^[0-9A-F]{1,64}$/.test(nonce)) throw new RangeError('nonce must be 1..64 upper-case hex digits');
  return { name: 'presentStatus', data: ascii(nonce) };
}

export function encodeCommand(command: LcdmCommand): Uint8Array {
  return encodeFrame({ direction: 'command', cmd: LCDM_CMD[command.name], data: command.data });
}

const NAMES = new Map<number, LcdmCommandName>(Object.entries(LCDM_CMD).map(([k, v]) => [v, k as LcdmCommandName]));

export function commandNameOf(code: number): LcdmCommandName | undefined {
  return NAMES.get(code);
}
