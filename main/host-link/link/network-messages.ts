import { Buffer } from 'node:buffer';
import { localDate, localTime, transmissionDateTime, type FieldValue, type IsoMessage } from '../iso8583/index.js';
import type { EncryptedWorkingKeys } from './security-module.js';
import type { TerminalIdentity } from './terminal.js';

/** DE70 network management codes (host-crypto.md §1.1). */
export const NetworkCode = { signOn: '001', signOff: '002', keyChange: '101', echo: '301' } as const;
export type NetworkCodeValue = (typeof NetworkCode)[keyof typeof NetworkCode];

/** 0800 sign-on / echo: DE7, 11, 12, 13, 41, 42, 70. Network management messages carry no MAC. */
export function networkRequest(
  code: NetworkCodeValue,
  stan: string,
  epochMs: number,
  terminal: TerminalIdentity,
): IsoMessage {
  return {
    mti: '0800',
    fields: new Map<number, FieldValue>([
      [7, transmissionDateTime(epochMs)],
      [11, stan],
      [12, localTime(epochMs, terminal.utcOffsetMinutes)],
      [13, localDate(epochMs, terminal.utcOffsetMinutes)],
      [41, terminal.terminalId],
      [42, terminal.acceptorId],
      [70, code],
    ]),
  };
}

/** 0810 answering a host's own 0800 echo. */
export function networkResponse(request: IsoMessage, epochMs: number): IsoMessage {
  const fields = new Map<number, FieldValue>([[7, transmissionDateTime(epochMs)]]);
  for (const id of [11, 41, 70]) {
    const value = request.fields.get(id);
    if (value !== undefined) fields.set(id, value);
  }
  fields.set(39, '00');
  return { mti: '0810', fields };
}

const KEY_HEX = 32;
const KCV_HEX = 8;
const WORKING_KEYS = new RegExp(`^[0-9A-Fa-f]{${2 * (KEY_HEX + KCV_HEX)}}$`);

/**
 * DE62 of the 0810: PIK(16 bytes) ‖ KCV(4) ‖ MAK(16) ‖ KCV(4), double-length TDES keys under the
 * TMK, as hex text because the ascii profile's DE62 is ans (the UnionPay layout of §1.1, 40 bytes).
 * Returns null for anything else.
 */
export function parseWorkingKeys(de62: FieldValue | undefined): EncryptedWorkingKeys | null {
  if (typeof de62 !== 'string' || !WORKING_KEYS.test(de62)) return null;
  const bytes = Buffer.from(de62, 'hex');
  const pikEnd = KEY_HEX / 2;
  const makAt = pikEnd + KCV_HEX / 2;
  return {
    pik: bytes.subarray(0, pikEnd),
    pikKcv: bytes.subarray(pikEnd, makAt),
    mak: bytes.subarray(makAt, makAt + KEY_HEX / 2),
    makKcv: bytes.subarray(makAt + KEY_HEX / 2),
  };
}
