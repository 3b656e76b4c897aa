import { Buffer } from 'node:buffer';

/** A short command APDU as the card sees it (ISO/IEC 7816-3 cases 1–4). */
export interface CardCommand {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data: Buffer;
  /** Expected length; 256 for Le = 00; undefined in cases 1 and 3. */
  readonly le: number | undefined;
}

/** Parses a short APDU; undefined when the bytes fit no case (the card answers 6700). */
export function parseCommand(bytes: Uint8Array): CardCommand | undefined {
  const b = Buffer.from(bytes);
  if (b.length < 4) return undefined;
  const [cla, ins, p1, p2] = b as unknown as [number, number, number, number];
  const head = { cla, ins, p1, p2 };
  if (b.length === 4) return { ...head, data: Buffer.alloc(0), le: undefined };
  const p3 = b[4] as number;
  if (b.length === 5) return { ...head, data: Buffer.alloc(0), le: p3 === 0 ? 256 : p3 };
  if (p3 === 0) return undefined; // extended length is not supported
  if (b.length === 5 + p3) return { ...head, data: b.subarray(5), le: undefined };
  if (b.length === 6 + p3) {
    const le = b[5 + p3] as number;
    return { ...head, data: b.subarray(5, 5 + p3), le: le === 0 ? 256 : le };
  }
  return undefined;
}

export const sw = (value: number): Buffer => Buffer.of(value >> 8, value & 0xff);

/** The status words this card uses. */
export const CARD_SW = {
  ok: 0x9000,
  authenticationFailed: 0x6300,
  wrongLength: 0x6700,
  conditionsNotSatisfied: 0x6985,
  fileNotFound: 0x6a82,
  recordNotFound: 0x6a83,
  wrongP1P2: 0x6a86,
  dataNotFound: 0x6a88,
  insNotSupported: 0x6d00,
  claNotSupported: 0x6e00,
} as const;
