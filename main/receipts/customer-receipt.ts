import type { ReceiptBlock, ReceiptDocument } from '../../drivers/protocols/escpos/receipt.js';
import { formatAmount, formatMaskedPan, type MaskedPan } from './receipt-format.js';
import { keyValue, receiptHeader, type ReceiptContext } from './receipt-header.js';
import { RECEIPT_LABELS, type ReceiptTransactionType } from './receipt-labels.js';

/** The facts a customer receipt shows; the card arrives masked, never as a full PAN. */
export interface CustomerReceiptData {
  readonly type: ReceiptTransactionType;
  readonly card: MaskedPan;
  /** Minor units; absent for a balance inquiry. */
  readonly amount?: number;
  readonly balance?: number;
  readonly currency: string;
  /** Host retrieval reference number (ISO 8583 field 37). */
  readonly reference: string;
  /** System trace audit number (field 11). */
  readonly trace: string;
  readonly authCode?: string;
  /** The e-receipt / complaint ticket address printed as a QR code. */
  readonly eReceiptUrl?: string;
  /** Mini-statement lines, newest first; amounts signed (negative = money out). */
  readonly statement?: readonly { readonly date: string; readonly description: string; readonly amountMinor: number }[];
}

/** Builds the customer's transaction receipt as a document for the ESC/POS composer. */
export function customerReceipt(data: CustomerReceiptData, context: ReceiptContext): ReceiptDocument {
  const labels = RECEIPT_LABELS[context.language];
  const row = keyValue;
  const money = (minor: number): string => formatAmount(minor, data.currency);
  const blocks: ReceiptBlock[] = [
    ...receiptHeader(context, labels),
    row(labels.card, formatMaskedPan(data.card)),
    row(labels.type, labels.types[data.type]),
  ];
  if (data.amount !== undefined)
    blocks.push({ kind: 'keyValue', key: labels.amount, value: money(data.amount), bold: true });
  if (data.balance !== undefined) blocks.push(row(labels.balance, money(data.balance)));
  if (data.statement && data.statement.length > 0) {
    blocks.push({ kind: 'separator' });
    for (const line of data.statement) {
      const sign = line.amountMinor < 0 ? '-' : '+';
      blocks.push(row(`${line.date} ${line.description}`, `${sign}${money(Math.abs(line.amountMinor))}`));
    }
    blocks.push({ kind: 'separator' });
  }
  blocks.push(row(labels.reference, data.reference), row(labels.trace, data.trace));
  if (data.authCode !== undefined) blocks.push(row(labels.authCode, data.authCode));
  blocks.push({ kind: 'separator' });
  if (data.eReceiptUrl !== undefined) {
    blocks.push({ kind: 'qr', data: data.eReceiptUrl, moduleSize: 6, errorCorrection: 'M' });
    blocks.push({ kind: 'text', text: labels.qrCaption, align: 'center' });
  }
  blocks.push({ kind: 'text', text: labels.footer, align: 'center' }, { kind: 'feed', lines: 3 });
  return { blocks };
}
