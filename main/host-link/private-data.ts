/**
 * DE48 (ans..999 LLL) as the kiosk and its host use it: a run of `TT LLL value` items, two-letter
 * tag, three-digit length, printable-ASCII value. Schemes put transfer and PIN-change data in DE48
 * (host-crypto.md §1.2, "UnionPay: payee in DE48/DE103"); the tags are this project's private
 * agreement with its host. Text that is not ASCII (a payee's name) travels as hex of its UTF-8 bytes.
 */
import { Buffer } from 'node:buffer';

export const PrivateTag = {
  /** Request: the new PIN block (hex), PIN change. */
  newPinBlock: 'NP',
  /** Request: "1" = the customer saw the masked payee name and confirmed a real-time transfer. Inquiry response: "1" = real time is offered. */
  realTimeConfirmed: 'RT',
  /** Request and response: transfer reference, for revocation. */
  transferReference: 'TR',
  /** Response: masked payee name, UTF-8 as hex. */
  payeeName: 'PN',
  /** Response: transfer mode, R = real time, D = delayed (executes at EX). */
  transferMode: 'TM',
  /** Response: execution time of a delayed transfer, YYYYMMDDhhmmss GMT. */
  executeAt: 'EX',
  /** Response, repeatable: one mini-statement line, YYMMDD C|D n12 description. */
  statementLine: 'SL',
  /** Withdrawal request: the cash dispenser's command nonce (upper-case hex) for the host to sign. */
  dispenseNonce: 'DN',
  /** Approved withdrawal response: the XFS4IoT dispense token the host signed on DN (xfs4iot.md §5). */
  dispenseToken: 'DT',
  /** Appointment lookup request: the code the customer scanned or typed (booked in the bank's app). */
  appointmentCode: 'AC',
  /**
   * Appointment lookup response: the host's reference for the booking. Cardless withdrawal request:
   * the same reference in place of card data (no DE2, DE14, DE35).
   */
  appointmentRef: 'AR',
} as const;
export type PrivateTagValue = (typeof PrivateTag)[keyof typeof PrivateTag];

const ITEM_HEAD = /^[A-Z0-9]{2}[0-9]{3}$/;
const PRINTABLE = /^[\x20-\x7e]*$/;

export type PrivateItem = readonly [tag: string, value: string];

export function formatPrivateData(items: readonly PrivateItem[]): string {
  return items
    .map(([tag, value]) => {
      if (!/^[A-Z0-9]{2}$/.test(tag) || value.length > 999 || !PRINTABLE.test(value))
        throw new RangeError(`DE48 item ${tag} cannot be formatted`);
      return tag + String(value.length).padStart(3, '0') + value;
    })
    .join('');
}

/** Items in order; null when the text is not a well-formed item run (the caller treats that as a format error). */
export function parsePrivateData(de48: string): PrivateItem[] | null {
  const items: PrivateItem[] = [];
  let at = 0;
  while (at < de48.length) {
    const head = de48.slice(at, at + 5);
    if (!ITEM_HEAD.test(head)) return null;
    const length = Number(head.slice(2));
    if (at + 5 + length > de48.length) return null;
    items.push([head.slice(0, 2), de48.slice(at + 5, at + 5 + length)]);
    at += 5 + length;
  }
  return items;
}

export const utf8Hex = (text: string): string => Buffer.from(text, 'utf8').toString('hex').toUpperCase();

export function fromUtf8Hex(hex: string): string | null {
  return /^([0-9A-Fa-f]{2})*$/.test(hex) ? Buffer.from(hex, 'hex').toString('utf8') : null;
}
