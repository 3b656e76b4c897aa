import { fromHex } from '../protocols/emv/hex.js';

/*
 * The terminal's side of the EMV data: fixed configuration of the ATM and the
 * per-transaction inputs, turned into the data objects a PDOL/CDOL may ask for.
 * Nothing here reads a clock or a random source: date and unpredictable number
 * come from the caller.
 */

export interface TerminalConfig {
  /** ISO 3166 numeric, 3 digits (9F1A), e.g. "156". */
  readonly country: string;
  /** 9F35; an online-only unattended financial-institution terminal (ATM) is 0x14. */
  readonly terminalType: number;
  /** 9F33, 3 bytes hex; an ATM with online PIN and SDA/DDA/CDA is "6040E8". */
  readonly capabilities: string;
  /** 9F40, 5 bytes hex. */
  readonly additionalCapabilities: string;
  /** 9F09, 2 bytes hex. */
  readonly applicationVersion: string;
  /** 9F1E, 8 ASCII characters; omitted = not sent. */
  readonly ifdSerial?: string;
  /** AIDs the terminal accepts, hex, in the terminal's order of preference. */
  readonly aids: readonly string[];
  /** In minor units; 0 for an online-only terminal. */
  readonly floorLimit: number;
  /** Terminal action code – denial, 5 bytes hex. */
  readonly tacDenial: string;
}

export const ATM_TERMINAL_DEFAULTS: Omit<TerminalConfig, 'aids'> = {
  country: '156',
  terminalType: 0x14,
  capabilities: '6040E8',
  additionalCapabilities: 'F000F0A001',
  applicationVersion: '0030',
  floorLimit: 0,
  tacDenial: '0000000000',
};

/** Transaction types of 9C (ISO 8583 processing code, first two digits). */
export const TRANSACTION_TYPES = { cash: 0x01, inquiry: 0x31, transfer: 0x40 } as const;
export type TransactionType = keyof typeof TRANSACTION_TYPES;

export interface TransactionInput {
  /** Authorised amount in minor units (9F02). */
  readonly amount: number;
  readonly otherAmount?: number;
  /** ISO 4217 numeric, 3 digits (5F2A), e.g. "156". */
  readonly currency: string;
  readonly type: TransactionType;
  /** Transaction date YYMMDD (9A), from the runtime's Clock. */
  readonly date: string;
  /** Transaction sequence counter (9F41), from the runtime's journal. */
  readonly sequenceCounter: number;
}

/** Injected source of the unpredictable number (9F37). */
export type RandomBytes = (length: number) => Uint8Array;

/** Right-justified BCD of `digits` decimal digits. */
export function bcd(value: number | string, bytes: number): Uint8Array {
  const text = typeof value === 'number' ? String(value) : value;
  if (!/^\d+$/.test(text) || text.length > bytes * 2) throw new RangeError(`${bytes}-byte BCD cannot hold this value`);
  return fromHex(text.padStart(bytes * 2, '0'));
}

/** The terminal data objects for one transaction, before the dynamic ones (TVR, TSI, ARC, 91). */
export function terminalData(config: TerminalConfig, txn: TransactionInput, unpredictableNumber: Uint8Array): Map<string, Uint8Array> {
  if (!/^\d{6}$/.test(txn.date)) throw new RangeError('transaction date must be YYMMDD');
  const data = new Map<string, Uint8Array>([
    ['9F02', bcd(txn.amount, 6)],
    ['9F03', bcd(txn.otherAmount ?? 0, 6)],
    ['5F2A', bcd(txn.currency, 2)],
    ['9F1A', bcd(config.country, 2)],
    ['9A', fromHex(txn.date)],
    ['9C', Uint8Array.of(TRANSACTION_TYPES[txn.type])],
    ['9F37', unpredictableNumber],
    ['9F33', fromHex(config.capabilities)],
    ['9F40', fromHex(config.additionalCapabilities)],
    ['9F35', Uint8Array.of(config.terminalType)],
    ['9F09', fromHex(config.applicationVersion)],
    ['9F41', bcd(txn.sequenceCounter, 4)],
  ]);
  if (config.ifdSerial !== undefined) data.set('9F1E', new TextEncoder().encode(config.ifdSerial.padEnd(8, ' ').slice(0, 8)));
  return data;
}

/** DE55 of the online request, in the order of host-crypto.md §4.2 / §1.6. */
export const DE55_REQUEST_TAGS = [
  '9F26', '9F27', '9F10', '9F37', '9F36', '95', '9A', '9C', '9F02', '5F2A', '82', '9F1A', '9F03', '9F33', '9F34', '9F35', '84', '9F09', '9F1E', '9F41',
] as const;
