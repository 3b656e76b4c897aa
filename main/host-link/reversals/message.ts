import {
  originalDataElements,
  replacementAmounts,
  transmissionDateTime,
  type FieldValue,
  type IsoMessage,
} from '../iso8583/index.js';
import type { ReversalReason, ReversalRecord } from './queue.js';

/**
 * DE39 a reversal carries (host-crypto.md §1.4: "DE39 68 or 91" for a timeout). For device faults
 * the 1987 code 22 (suspected malfunction); for a card that declined after the host approved,
 * 06 (error). The last two are this project's choice: confirm them with the acquirer.
 */
const REASON_CODES: Readonly<Record<ReversalReason, string>> = {
  timeout: '68',
  noValidResponse: '68',
  interrupted: '68',
  partialDispense: '22',
  dispenseFault: '22',
  cashRetracted: '22',
  cardAac: '06',
};

/**
 * The 0420 (first attempt) or 0421 (repeat) for a queued reversal: the original's fields, a new
 * DE7, the reversal's own STAN, DE39 reason, DE90 from the original's MTI/STAN/DE7/DE32, and DE95
 * with the amount actually dispensed when only part of it was. The link adds DE128.
 */
export function reversalMessage(record: ReversalRecord, stan: string, epochMs: number): IsoMessage {
  const { original } = record;
  const fields = new Map<number, FieldValue>(Object.entries(original.fields).map(([id, v]) => [Number(id), v]));
  const originalStan = original.fields[11] ?? '';
  fields.set(7, transmissionDateTime(epochMs));
  fields.set(11, stan);
  fields.set(39, REASON_CODES[record.reason ?? 'timeout']);
  fields.set(
    90,
    originalDataElements({
      mti: original.mti,
      stan: originalStan,
      transmissionDateTime: original.fields[7] ?? '',
      acquirerId: original.fields[32] ?? '',
    }),
  );
  if (record.dispensedMinor !== null) fields.set(95, replacementAmounts({ transactionMinor: record.dispensedMinor }));
  return { mti: record.attempts === 0 ? '0420' : '0421', fields };
}
