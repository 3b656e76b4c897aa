import { ascii } from './frame.js';
import { hexByte, toHex } from './hex.js';

/**
 * ZT588 command texts (protocols.md §5a; parameter layout as the public
 * smartware driver writes it, `pin_pad/zt588.rb`). A command is one ASCII
 * character plus parameters; binary values are hex because the driver switches
 * the EPP to hex mode first. Commands marked "extension" are not in the public
 * source: they are this project's convention, shared with the simulator.
 */
export interface Zt588Command {
  /** For logs and error messages; never includes key or PIN material. */
  readonly name: string;
  readonly text: string;
}

/** Key types of commands `1` and `2`. */
export const KEY_TYPES = { imk: 1, tmk: 2, tpk: 3, tak: 5, tdk: 6 } as const;
export type KeyType = keyof typeof KEY_TYPES;

/**
 * Key length codes of command `1` (command `2` sends code + 1). 0–2 are
 * single/double/triple DES as documented; 3–5 (AES-128/192/256) are an extension.
 */
export const KEY_LENGTH_CODES = { des: 0, tdes2: 1, tdes3: 2, aes128: 3, aes192: 4, aes256: 5 } as const;
export type KeyLengthCode = (typeof KEY_LENGTH_CODES)[keyof typeof KEY_LENGTH_CODES];

/** PIN block format characters of commands `6`/`7`; `$` (ISO 9564 format 4, AES) is an extension. */
export const PIN_FORMAT_CHARS = { iso0: ' ', iso1: '!', iso3: '#', ibm3624: '0', ascii: '@', iso4: '$' } as const;
export type PinFormatName = keyof typeof PIN_FORMAT_CHARS;

/** The `5` control sub-commands: misc actions under `0`, settings under their own digit. */
const MISC = { reset: '0', wipe: '1', disableInput: '2', enableInput: '3', soundOff: '4', soundOn: '5', beep: '=' } as const;
export type MiscAction = keyof typeof MISC;

/** Value of control `6` (communication) selecting hex mode. */
const HEX_MODE = '7';

/** `1`: load a key in clear (test bench / key ceremony). The reply carries its check value. */
export function loadPlainKey(slot: number, type: KeyType, length: KeyLengthCode, key: Uint8Array): Zt588Command {
  return { name: 'load plain key', text: `1${hexByte(slot)}${KEY_TYPES[type]}${length}${toHex(key)}` };
}

/** `2`: load a key encrypted under the key in slot `under` (a TMK). The reply carries its check value. */
export function loadEncryptedKey(
  under: number,
  slot: number,
  type: KeyType,
  length: KeyLengthCode,
  cryptogram: Uint8Array,
): Zt588Command {
  return {
    name: 'load encrypted key',
    text: `2${hexByte(under)}${hexByte(slot)}${KEY_TYPES[type]}${length + 1}${toHex(cryptogram)}`,
  };
}

/** `2` with type 0 and length 0: erases the key in `slot` (as smartware's `erase_key`). */
export function deleteKey(slot: number): Zt588Command {
  return { name: 'delete key', text: `200${hexByte(slot)}00` };
}

/** `3`: read user information (user data, scan codes, settings, model, versions, serial). */
export function readUserInfo(): Zt588Command {
  return { name: 'read user information', text: '3' };
}

/** `4`: load the scan-code table, one byte per key of the 4×6 matrix. */
export function loadScanCodes(table: Uint8Array): Zt588Command {
  return { name: 'load scan codes', text: `4${toHex(table)}` };
}

/** `5 0 x`: reset, wipe all keys, disable/enable key input, sound off/on, beep. */
export function misc(action: MiscAction): Zt588Command {
  return { name: `control ${action}`, text: `50${toHex(ascii(MISC[action]))}` };
}

/** `5 6 7`: binary parameters as hex from now on. */
export function setHexMode(): Zt588Command {
  return { name: 'set hex mode', text: `56${toHex(ascii(HEX_MODE))}` };
}

/** `5 2`: PIN input time limit in seconds (0 = none). */
export function setInputTimeout(seconds: number): Zt588Command {
  return { name: 'set input time limit', text: `52${hexByte(seconds)}` };
}

/** `5 3`: the byte reported for each PIN digit. */
export function setPinMask(mask: number): Zt588Command {
  return { name: 'set PIN mask', text: `53${hexByte(mask)}` };
}

/** `5 4` / `5 5`: minimum and maximum PIN length. */
export function setPinLength(bound: 'min' | 'max', digits: number): Zt588Command {
  return { name: `set ${bound} PIN length`, text: `${bound === 'min' ? '54' : '55'}${hexByte(digits)}` };
}

/**
 * `6`: start PIN entry under key `slot` in `format`, with a prompt `hint`
 * (0–9) and `autoLength` (0 = end with Enter; else the EPP ends the entry by
 * itself at that many digits), PAN = the 12 PAN digits the block is bound to.
 */
export function startPinEntry(
  slot: number,
  format: PinFormatName,
  hint: number,
  autoLength: number,
  pan12: string,
): Zt588Command {
  if (!/^\d{12}$/.test(pan12)) throw new RangeError('PAN field must be 12 digits');
  const length = String(autoLength).padStart(2, '0');
  return { name: 'start PIN entry', text: `6${hexByte(slot)}${PIN_FORMAT_CHARS[format]}${hint}${length}${pan12}` };
}

/**
 * `7`: read the PIN block. With a key, format and full PAN (extension) the block
 * is built now under that key — the XFS order, where the key and PAN are known
 * only after the entry; bare `7` uses what `6` named.
 */
export function getPinBlock(request?: { slot: number; format: PinFormatName; pan: string }): Zt588Command {
  if (request === undefined) return { name: 'get PIN block', text: '7' };
  if (!/^\d{0,19}$/.test(request.pan)) throw new RangeError('PAN must be at most 19 digits');
  const panLength = String(request.pan.length).padStart(2, '0');
  return {
    name: 'get PIN block',
    text: `7${hexByte(request.slot)}${PIN_FORMAT_CHARS[request.format]}${panLength}${request.pan}`,
  };
}

/** `8` (extension): key type and length code of the key in `slot`, or E4 when the slot is empty. */
export function readKeyDetail(slot: number): Zt588Command {
  return { name: 'read key detail', text: `8${hexByte(slot)}` };
}

/** Message bytes per `H` frame: with 8 characters of header the hex stays within LLL's 999, in whole 16-byte blocks. */
export const MAC_CHUNK_BYTES = 480;
/** The largest message `H` takes: its offset field has four decimal digits. */
export const MAX_MAC_BYTES = 9999;

/**
 * `H` (extension; 0x48 is the ZT598's MAC command byte, protocols.md §5b): one
 * piece of a message to MAC under the TAK in `slot` — `last` (1/0), the piece's
 * byte offset in four decimal digits, the bytes as hex. Offset 0 starts a new
 * message; a piece at an offset the EPP already holds replaces the rest, so a
 * resent piece does no harm. The reply to the last piece carries the MAC.
 */
export function generateMac(slot: number, offset: number, last: boolean, data: Uint8Array): Zt588Command {
  if (!Number.isInteger(offset) || offset < 0 || offset + data.length > MAX_MAC_BYTES) {
    throw new RangeError(`a MAC covers at most ${MAX_MAC_BYTES} bytes`);
  }
  if (data.length > MAC_CHUNK_BYTES) throw new RangeError(`a MAC piece holds at most ${MAC_CHUNK_BYTES} bytes`);
  return {
    name: 'generate MAC',
    text: `H${hexByte(slot)}${last ? '1' : '0'}${String(offset).padStart(4, '0')}${toHex(data)}`,
  };
}

/** Bytes per `F` frame, in whole 16-byte blocks. */
export const CRYPT_CHUNK_BYTES = 480;

/**
 * `F` (extension; 0x46 is the ZT598's DES-crypt command byte, protocols.md §5b):
 * ECB under the data key in `slot`, `E` encrypt or `D` decrypt, whole blocks as hex.
 */
export function cryptData(slot: number, mode: 'E' | 'D', data: Uint8Array): Zt588Command {
  if (data.length > CRYPT_CHUNK_BYTES) throw new RangeError(`a crypt frame holds at most ${CRYPT_CHUNK_BYTES} bytes`);
  return { name: mode === 'E' ? 'encrypt data' : 'decrypt data', text: `F${hexByte(slot)}${mode}${toHex(data)}` };
}
