import { isErrorStatus, Zt588DeviceError } from './errors.js';
import { textOf } from './frame.js';
import { fromHex } from './hex.js';

/** A reply whose text does not have the shape its command promises. */
export class Zt588ReplyError extends Error {
  override readonly name = 'Zt588ReplyError';
}

/**
 * A successful reply: the status byte (not E0–EF; the simulator echoes the
 * command character, the driver does not rely on it) and the rest as ASCII.
 */
export interface Zt588Reply {
  readonly status: number;
  readonly body: string;
}

/** Splits a reply text; throws Zt588DeviceError for an error reply. */
export function parseReply(text: Uint8Array): Zt588Reply {
  const status = text[0];
  if (status === undefined) throw new Zt588ReplyError('empty reply');
  if (isErrorStatus(status)) throw new Zt588DeviceError(status);
  return { status, body: textOf(text.subarray(1)) };
}

/** Reply to `1`/`2`: the key check value as hex (the simulator sends 4 bytes). */
export function parseCheckValue(body: string): Uint8Array {
  const kcv = fromHex(body);
  if (kcv === undefined || kcv.length < 3 || kcv.length > 16) throw new Zt588ReplyError('check value is not 3-16 hex bytes');
  return kcv;
}

export interface PinBlockReply {
  readonly track: number;
  /** PIN length in digits. */
  readonly pinLength: number;
  readonly pinBlock: Uint8Array;
}

/** Reply to `7`: `track(2) len(2) block(hex)`. */
export function parsePinBlock(body: string): PinBlockReply {
  const match = /^(\d{2})(\d{2})([0-9A-Fa-f]*)$/.exec(body);
  const block = match ? fromHex(match[3] ?? '') : undefined;
  if (!match || block === undefined || (block.length !== 8 && block.length !== 16)) {
    throw new Zt588ReplyError('PIN block reply is not track(2) length(2) + 8 or 16 hex bytes');
  }
  return { track: Number(match[1]), pinLength: Number(match[2]), pinBlock: block };
}

export interface Zt588Settings {
  /** No key loaded yet. */
  readonly blank: boolean;
  readonly inputEnabled: boolean;
  readonly sound: boolean;
  readonly inputTimeSeconds: number;
  readonly pinMask: number;
  readonly minLength: number;
  readonly maxLength: number;
  readonly hexMode: boolean;
}

export interface Zt588UserInfo {
  readonly userData: string;
  readonly scanCodes: Uint8Array;
  readonly settings: Zt588Settings;
  /** Eight characters; this project reads an `A` in them as "AES keys and ISO format 4" (extension). */
  readonly functionCode: string;
  readonly model: string;
  readonly hardwareVersion: string;
  readonly softwareVersion: string;
  readonly productionDate: string;
  readonly serialNumber: string;
}

/** Field widths of the `3` reply after the status byte (smartware `unpack("xa50a48a20a8A6A3A3a4a4")`). */
const USER_INFO_FIELDS = [50, 48, 20, 8, 6, 3, 3, 4, 4] as const;
export const USER_INFO_LENGTH = USER_INFO_FIELDS.reduce((a, b) => a + b, 0);

/** Reply to `3`. */
export function parseUserInfo(body: string): Zt588UserInfo {
  if (body.length !== USER_INFO_LENGTH) {
    throw new Zt588ReplyError(`user information is ${body.length} characters, expected ${USER_INFO_LENGTH}`);
  }
  let at = 0;
  const fields = USER_INFO_FIELDS.map((width) => body.slice(at, (at += width)));
  const [userData, scanHex, settingsHex, functionCode, model, hw, sw, date, serial] = fields as [
    string, string, string, string, string, string, string, string, string,
  ];
  const scanCodes = fromHex(scanHex);
  const settings = fromHex(settingsHex);
  if (scanCodes === undefined || settings === undefined) throw new Zt588ReplyError('scan codes or settings are not hex');
  const byte = (i: number): number => settings[i] as number;
  return {
    userData: userData.replace(/[\0 ]+$/, ''),
    scanCodes,
    settings: {
      blank: (byte(0) & 0x01) !== 0,
      inputEnabled: (byte(0) & 0x02) !== 0,
      sound: (byte(0) & 0x04) !== 0,
      inputTimeSeconds: byte(2),
      pinMask: byte(3),
      minLength: byte(4),
      maxLength: byte(5),
      hexMode: byte(7) === 0x37,
    },
    functionCode,
    model: model.trim(),
    hardwareVersion: hw.trim(),
    softwareVersion: sw.trim(),
    productionDate: date,
    serialNumber: serial,
  };
}

export interface KeyDetailReply {
  readonly type: number;
  readonly lengthCode: number;
}

/** Reply to `8` (extension): key type digit and length code digit. */
export function parseKeyDetail(body: string): KeyDetailReply {
  const match = /^(\d)(\d)$/.exec(body);
  if (!match) throw new Zt588ReplyError('key detail is not two digits');
  return { type: Number(match[1]), lengthCode: Number(match[2]) };
}

/** Reply to the last `H` piece (extension): the MAC block as hex, 8 bytes. */
export function parseMac(body: string): Uint8Array {
  const mac = fromHex(body);
  if (mac === undefined || mac.length !== 8) throw new Zt588ReplyError('MAC reply is not 8 hex bytes');
  return mac;
}

/** Reply to `F` (extension): the result as hex, as long as the data sent. */
export function parseCryptData(body: string, expectedLength: number): Uint8Array {
  const data = fromHex(body);
  if (data === undefined || data.length !== expectedLength) {
    throw new Zt588ReplyError(`crypt reply is not ${expectedLength} hex bytes`);
  }
  return data;
}
