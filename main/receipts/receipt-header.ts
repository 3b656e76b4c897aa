import type { Clock } from '../../drivers/common/clock.js';
import type { ReceiptBlock } from '../../drivers/protocols/escpos/receipt.js';
import type { Language } from '../ipc-contract/intents.js';
import { formatLocalDateTime } from './receipt-format.js';

/** Where and when a slip is printed: the same for a customer's receipt and a technician's slip. */
export interface ReceiptContext {
  readonly bankName: string;
  readonly kioskId: string;
  readonly language: Language;
  readonly clock: Clock;
  /** Offset of local time from UTC in minutes; default +480 (China Standard Time). */
  readonly utcOffsetMinutes?: number;
}

/** A label and its value on one line. */
export const keyValue = (key: string, value: string | number): ReceiptBlock => ({
  kind: 'keyValue',
  key,
  value: String(value),
});

/** Every slip's head: the bank, the slip's title, then the kiosk and the local date and time. */
export function receiptHeader(
  context: ReceiptContext,
  labels: { readonly title: string; readonly kiosk: string; readonly dateTime: string },
): ReceiptBlock[] {
  return [
    { kind: 'text', text: context.bankName, bold: true, size: 'double', align: 'center' },
    { kind: 'text', text: labels.title, align: 'center' },
    { kind: 'separator' },
    keyValue(labels.kiosk, context.kioskId),
    keyValue(labels.dateTime, formatLocalDateTime(context.clock.now(), context.utcOffsetMinutes ?? 480)),
  ];
}
