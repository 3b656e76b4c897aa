/** CCNET command bytes (protocols.md §2b). */
export const CMD = {
  reset: 0x30,
  getStatus: 0x31,
  poll: 0x33,
  enableBillTypes: 0x34,
  stack: 0x35,
  return: 0x36,
  identification: 0x37,
  hold: 0x38,
  getBillTable: 0x41,
} as const;

/**
 * Vendor extensions of the simulated validator's bunch escrow (CCNET escrows
 * one note); codes from the unassigned 0x70 block, see docs/devices/cash-acceptor.md.
 */
export const EXT = {
  /** 1 byte: 1 = STACK in escrow moves the note to the escrow stack. */
  escrowMode: 0x70,
  /** Stores the escrow stack in the cassette; reply: n. */
  commitEscrow: 0x71,
  /** Hands the escrow stack back to the bezel; ACK. */
  returnEscrow: 0x72,
  /** Reply 1 byte: bit0 notes in the bezel. */
  bezel: 0x73,
} as const;

/** The device's answer to a command it does not know. */
export const ILLEGAL_COMMAND = 0x30;

/**
 * 24 bill types as 3 bytes, type 23 in the top bit of the first byte and type
 * 0 in the bottom bit of the last (bit order unverified in protocols.md; the
 * golden EnableAll frame does not tell). Enable mask then escrow mask.
 */
export function typeMask(types: readonly number[]): number[] {
  const bits = types.reduce((m, t) => m | (1 << t), 0);
  return [(bits >>> 16) & 0xff, (bits >>> 8) & 0xff, bits & 0xff];
}

const cmd = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes);

export const commands = {
  reset: () => cmd(CMD.reset),
  getStatus: () => cmd(CMD.getStatus),
  poll: () => cmd(CMD.poll),
  stack: () => cmd(CMD.stack),
  return: () => cmd(CMD.return),
  hold: () => cmd(CMD.hold),
  identification: () => cmd(CMD.identification),
  getBillTable: () => cmd(CMD.getBillTable),
  enableBillTypes: (enabled: readonly number[], escrow: readonly number[]) =>
    cmd(CMD.enableBillTypes, ...typeMask(enabled), ...typeMask(escrow)),
  escrowMode: (on: boolean) => cmd(EXT.escrowMode, on ? 1 : 0),
  commitEscrow: () => cmd(EXT.commitEscrow),
  returnEscrow: () => cmd(EXT.returnEscrow),
  bezel: () => cmd(EXT.bezel),
} as const;

export interface BillType {
  /** Index 0..23 as ENABLE BILL TYPES and the escrow/stacked states number it. */
  readonly type: number;
  readonly currency: string;
  /** Minor units (two decimals). */
  readonly value: number;
}

/** GET BILL TABLE reply: 24 × (digit, country 3 ASCII, power of ten); empty rows skipped. */
export function parseBillTable(data: Uint8Array): BillType[] | undefined {
  if (data.length !== 120) return undefined;
  const out: BillType[] = [];
  for (let t = 0; t < 24; t++) {
    const row = data.subarray(5 * t, 5 * t + 5);
    if (row[0] === 0) continue;
    const exp = row[4]! & 0x80 ? -(row[4]! & 0x7f) : row[4]!;
    out.push({
      type: t,
      currency: String.fromCharCode(...row.subarray(1, 4)).trim(),
      value: Math.round(row[0]! * 10 ** exp * 100),
    });
  }
  return out;
}

/** IDENTIFICATION reply: part number 15 ASCII, serial 12 ASCII, asset number 7 bytes. */
export function parseIdentification(data: Uint8Array): { partNumber: string; serialNumber: string } | undefined {
  if (data.length < 27) return undefined;
  const text = (b: Uint8Array): string => String.fromCharCode(...b).trim();
  return { partNumber: text(data.subarray(0, 15)), serialNumber: text(data.subarray(15, 27)) };
}
