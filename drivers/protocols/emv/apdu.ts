import { concatBytes, fromHex } from './hex.js';

/*
 * Command APDUs the kernel sends (ISO/IEC 7816-4 short form; EMV Book 1 §11,
 * Book 3 §6.5) and the split of a response APDU into data and status word.
 */

export interface CommandApdu {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data?: Uint8Array;
  /** Expected length 1..256 (256 is sent as 00); omitted = case 1 or 3. */
  readonly le?: number;
}

export function encodeCommandApdu(c: CommandApdu): Uint8Array {
  const header = Uint8Array.of(c.cla, c.ins, c.p1, c.p2);
  const data = c.data ?? new Uint8Array(0);
  if (data.length > 255) throw new RangeError(`APDU data of ${data.length} bytes needs extended length`);
  if (c.le !== undefined && (c.le < 1 || c.le > 256)) throw new RangeError(`Le ${c.le} is outside 1..256`);
  const lc = data.length > 0 ? Uint8Array.of(data.length) : new Uint8Array(0);
  const le = c.le === undefined ? new Uint8Array(0) : Uint8Array.of(c.le & 0xff);
  return concatBytes([header, lc, data, le]);
}

/** The payment system environment directory of contact cards. */
export const PSE_NAME = new TextEncoder().encode('1PAY.SYS.DDF01');

export const selectByName = (name: Uint8Array, next = false): Uint8Array =>
  encodeCommandApdu({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: next ? 0x02 : 0x00, data: name, le: 256 });

export const readRecord = (sfi: number, record: number): Uint8Array =>
  encodeCommandApdu({ cla: 0x00, ins: 0xb2, p1: record, p2: (sfi << 3) | 0x04, le: 256 });

/** GPO wraps the PDOL data in tag 83 (an empty 83 00 when the card has no PDOL). */
export const getProcessingOptions = (pdolData: Uint8Array): Uint8Array =>
  encodeCommandApdu({ cla: 0x80, ins: 0xa8, p1: 0x00, p2: 0x00, data: concatBytes([Uint8Array.of(0x83, pdolData.length), pdolData]), le: 256 });

/** Reference control parameter of GENERATE AC (P1 bits 8-7). */
export const AC_TYPE = { AAC: 0x00, TC: 0x40, ARQC: 0x80 } as const;
export type AcType = keyof typeof AC_TYPE;

export const generateAc = (type: AcType, cdolData: Uint8Array): Uint8Array =>
  encodeCommandApdu({ cla: 0x80, ins: 0xae, p1: AC_TYPE[type], p2: 0x00, data: cdolData, le: 256 });

export const externalAuthenticate = (issuerAuthData: Uint8Array): Uint8Array =>
  encodeCommandApdu({ cla: 0x00, ins: 0x82, p1: 0x00, p2: 0x00, data: issuerAuthData });

/** GET DATA for a two-byte tag such as 9F36 (ATC) or 9F17 (PIN try counter). */
export const getData = (tag: string): Uint8Array => {
  const t = fromHex(tag.padStart(4, '0'));
  return encodeCommandApdu({ cla: 0x80, ins: 0xca, p1: t[0] as number, p2: t[1] as number, le: 256 });
};

export interface ResponseApdu {
  readonly data: Uint8Array;
  /** SW1 SW2 as one number, e.g. 0x9000. */
  readonly sw: number;
}

export function splitResponse(bytes: Uint8Array): ResponseApdu {
  if (bytes.length < 2) throw new RangeError(`response APDU of ${bytes.length} bytes has no status word`);
  const n = bytes.length;
  return { data: bytes.slice(0, n - 2), sw: ((bytes[n - 2] as number) << 8) | (bytes[n - 1] as number) };
}

/** The status words the kernel branches on. */
export const SW = {
  OK: 0x9000,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  RECORD_NOT_FOUND: 0x6a83,
} as const;

export const swHex = (sw: number): string => sw.toString(16).toUpperCase().padStart(4, '0');
