import type { Clock } from '../../../drivers/common/clock.js';
import type { PrinterDevice } from '../../../drivers/printer/contract.js';
import { composeReceipt, type ReceiptDocument } from '../../../drivers/protocols/escpos/receipt.js';
import type { Language } from '../../ipc-contract/intents.js';
import { customerReceipt, type CustomerReceiptData } from '../../receipts/customer-receipt.js';
import { gb18030Encoder } from '../../receipts/gb18030.js';

/** A receipt that could not be printed; the customer is told, the transaction stands. */
export class ReceiptError extends Error {
  override readonly name = 'ReceiptError';
}

/** Composes a document for the printer's width (GB18030 text), prints it, cuts and presents it. */
export async function printDocument(
  printer: PrinterDevice,
  document: ReceiptDocument,
  signal: AbortSignal,
): Promise<void> {
  const bytes = composeReceipt(document, { columns: printer.getCapabilities().columns, encodeText: gb18030Encoder });
  const printed = await printer.printRaw({ data: bytes }, signal);
  if (printed.completionCode !== 'success') throw new ReceiptError(`print failed: ${printed.errorDescription}`);
  const cut = await printer.controlMedia({ cut: true, move: 'eject' }, signal);
  if (cut.completionCode !== 'success') throw new ReceiptError(`cut failed: ${cut.errorDescription}`);
}

/** Composes a customer receipt in the customer's language, prints it and cuts. */
export function printCustomerReceipt(
  printer: PrinterDevice,
  data: CustomerReceiptData,
  context: { readonly bankName: string; readonly kioskId: string; readonly language: Language; readonly clock: Clock },
  signal: AbortSignal,
): Promise<void> {
  return printDocument(printer, customerReceipt(data, context), signal);
}
