/**
 * eSSP command bytes and builders (GA138; protocols.md §2a; SMART Payout
 * commands after the ITL manual as echoed by the npm peer library). Money on
 * the wire is 4-byte little-endian minor units plus a 3-letter ASCII currency
 * (protocol version 6 and later).
 */
export const CMD = {
  reset: 0x01,
  setInhibits: 0x02,
  setupRequest: 0x05,
  hostProtocolVersion: 0x06,
  poll: 0x07,
  reject: 0x08,
  disable: 0x09,
  enable: 0x0a,
  serialNumber: 0x0c,
  sync: 0x11,
  hold: 0x18,
  getAllLevels: 0x22,
  payoutAmount: 0x33,
  payoutByDenomination: 0x46,
  setDenominationRoute: 0x3b,
  emptyAll: 0x3f,
  setGenerator: 0x4a,
  setModulus: 0x4b,
  requestKeyExchange: 0x4c,
  smartEmpty: 0x52,
  getCounters: 0x58,
  enablePayout: 0x5c,
} as const;

/**
 * Vendor extensions of the simulated "SMART Payout with bunch escrow" (ITL
 * devices hold one note in escrow; an XFS cash-in needs a bunch). Codes from
 * the unassigned 0x90 block; documented in docs/devices/cash-acceptor.md.
 */
export const EXT = {
  /** 1 byte: 1 = a poll after `Read n` moves the note to the escrow stack, 0 = standard stacking. */
  escrowMode: 0x90,
  /** Routes the escrow stack; reply F0 n [ch route] × n (route 0 cashbox, 1 recycler). */
  commitEscrow: 0x91,
  /** Hands the escrow stack back to the bezel; reply F0 n. */
  returnEscrow: 0x92,
} as const;

/** Generic response codes, the first DATA byte of every reply. */
export const RESPONSE = {
  ok: 0xf0,
  unknownCommand: 0xf2,
  wrongParameters: 0xf3,
  parameterOutOfRange: 0xf4,
  cannotProcess: 0xf5,
  softwareError: 0xf6,
  fail: 0xf8,
  keyNotSet: 0xfa,
} as const;

export type GenericResponse = keyof typeof RESPONSE;

const BY_CODE = new Map<number, GenericResponse>(
  Object.entries(RESPONSE).map(([name, code]) => [code, name as GenericResponse]),
);

/** The generic response of a reply, or undefined for a byte that is none. */
export function genericResponse(data: Uint8Array): GenericResponse | undefined {
  return data.length > 0 ? BY_CODE.get(data[0]!) : undefined;
}

/** Payout option byte: 0x58 pays, 0x19 only tests whether it could (peer library and GA138). */
export const PAYOUT_REAL = 0x58;
export const PAYOUT_TEST = 0x19;

export function u32le(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
}

export function readU32le(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

export function ascii3(currency: string): number[] {
  if (!/^[A-Z]{3}$/.test(currency)) throw new RangeError(`bad currency ${currency}`);
  return Array.from(currency, (c) => c.charCodeAt(0));
}

/** 64-bit little-endian, for the key-exchange numbers. */
export function u64le(value: bigint): number[] {
  return Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(8 * i)) & 0xffn));
}

export function readU64le(bytes: Uint8Array, at: number): bigint {
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i] ?? 0);
  return v;
}

const cmd = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes);

export const commands = {
  sync: () => cmd(CMD.sync),
  reset: () => cmd(CMD.reset),
  poll: () => cmd(CMD.poll),
  hold: () => cmd(CMD.hold),
  reject: () => cmd(CMD.reject),
  enable: () => cmd(CMD.enable),
  disable: () => cmd(CMD.disable),
  setupRequest: () => cmd(CMD.setupRequest),
  serialNumber: () => cmd(CMD.serialNumber),
  hostProtocolVersion: (version: number) => cmd(CMD.hostProtocolVersion, version),
  /** Channel n (1-based) enabled ⇔ bit n−1 set; two bytes at least (GA138). */
  setInhibits: (enabled: readonly boolean[]) => {
    const bytes = Math.max(2, Math.ceil(enabled.length / 8));
    const mask = Array.from({ length: bytes }, (_, i) =>
      enabled.slice(i * 8, i * 8 + 8).reduce((m, on, bit) => (on ? m | (1 << bit) : m), 0),
    );
    return cmd(CMD.setInhibits, ...mask);
  },
  setGenerator: (g: bigint) => cmd(CMD.setGenerator, ...u64le(g)),
  setModulus: (m: bigint) => cmd(CMD.setModulus, ...u64le(m)),
  requestKeyExchange: (hostInter: bigint) => cmd(CMD.requestKeyExchange, ...u64le(hostInter)),
  payoutAmount: (amount: number, currency: string, test = false) =>
    cmd(CMD.payoutAmount, ...u32le(amount), ...ascii3(currency), test ? PAYOUT_TEST : PAYOUT_REAL),
  /** Per denomination: count 2 LE, value 4 LE, currency 3; then the option byte. */
  payoutByDenomination: (
    items: readonly { readonly count: number; readonly value: number; readonly currency: string }[],
    test = false,
  ) =>
    cmd(
      CMD.payoutByDenomination,
      items.length,
      ...items.flatMap((i) => [i.count & 0xff, i.count >> 8, ...u32le(i.value), ...ascii3(i.currency)]),
      test ? PAYOUT_TEST : PAYOUT_REAL,
    ),
  /** route 0 = payout (recycle), 1 = cashbox. */
  setDenominationRoute: (toCashbox: boolean, value: number, currency: string) =>
    cmd(CMD.setDenominationRoute, toCashbox ? 1 : 0, ...u32le(value), ...ascii3(currency)),
  getAllLevels: () => cmd(CMD.getAllLevels),
  emptyAll: () => cmd(CMD.emptyAll),
  smartEmpty: () => cmd(CMD.smartEmpty),
  getCounters: () => cmd(CMD.getCounters),
  enablePayout: () => cmd(CMD.enablePayout, 0x00),
  escrowMode: (on: boolean) => cmd(EXT.escrowMode, on ? 1 : 0),
  commitEscrow: () => cmd(EXT.commitEscrow),
  returnEscrow: () => cmd(EXT.returnEscrow),
} as const;

/** A denomination with its stored count (Get All Levels entry: level 2 LE, value 4 LE, currency 3). */
export interface DenominationLevel {
  readonly count: number;
  readonly value: number;
  readonly currency: string;
}

const text = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

/** Parses the reply DATA after F0 of Get All Levels; undefined when malformed. */
export function parseLevels(body: Uint8Array): DenominationLevel[] | undefined {
  const n = body[0];
  if (n === undefined || body.length !== 1 + 9 * n) return undefined;
  return Array.from({ length: n }, (_, i) => {
    const at = 1 + 9 * i;
    return {
      count: body[at]! | (body[at + 1]! << 8),
      value: readU32le(body, at + 2),
      currency: text(body.slice(at + 6, at + 9)),
    };
  });
}

/** Setup Request (protocol ≥ 6): what the driver needs, the channel table. */
export interface SetupInfo {
  readonly unitType: number;
  readonly firmware: string;
  readonly protocolVersion: number;
  /** Channel 1 first. */
  readonly channels: readonly { readonly value: number; readonly currency: string }[];
}

/**
 * Setup Request reply after F0 (GA138, protocol 6): unit type 1, firmware 4
 * ASCII, country 3, value multiplier 3, channels n 1, values n, security n,
 * real multiplier 3, protocol 1, currencies 3n, expanded values 4n LE.
 */
export function parseSetup(body: Uint8Array): SetupInfo | undefined {
  const n = body[11];
  if (n === undefined) return undefined;
  const protoAt = 12 + 2 * n + 3;
  const expected = protoAt + 1 + 3 * n + 4 * n;
  if (body.length < expected) return undefined;
  const currencies = protoAt + 1;
  const values = currencies + 3 * n;
  return {
    unitType: body[0]!,
    firmware: text(body.slice(1, 5)),
    protocolVersion: body[protoAt]!,
    channels: Array.from({ length: n }, (_, i) => ({
      currency: text(body.slice(currencies + 3 * i, currencies + 3 * i + 3)),
      value: readU32le(body, values + 4 * i),
    })),
  };
}
