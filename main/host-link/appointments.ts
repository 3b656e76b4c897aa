/**
 * The cardless appointment lookup (docs/host-link.md "Cardless withdrawal"): a 0100 with the
 * private processing code 39 and the scanned code in DE48 AC; the host answers 0110 with the
 * booked amount in DE4, the account in DE102 and its reference in DE48 AR. No card, no PIN: the PIN is checked on the
 * withdrawal that follows, which carries AR instead of card data. Pure, like transactions.ts.
 */
import {
  AccountType,
  amountN12,
  localDate,
  localTime,
  transmissionDateTime,
  type FieldValue,
  type IsoMessage,
} from './iso8583/index.js';
import { PrivateTag, formatPrivateData, parsePrivateData } from './private-data.js';
import { actionForResponseCode } from './response-codes.js';
import { PrivateProcessing, type RequestContext } from './transactions.js';
import type { HostResult } from '../../state-machines/session/types.js';

/** What a kiosk accepts as an appointment code before asking the host: 6-64 printable characters. */
export const APPOINTMENT_CODE = /^[\x21-\x7e]{6,64}$/;

export interface AppointmentReply extends HostResult {
  /**
   * With `approve`: the host's reference for the booking, the booked amount and the account it
   * debits (cardholder data: it goes to the card vault, where it serves as the PIN block's PAN).
   */
  readonly appointment?: { readonly reference: string; readonly amountMinor: number; readonly account: string };
}

export function buildAppointmentLookup(code: string, ctx: RequestContext): IsoMessage {
  const { terminal } = ctx;
  const fields = new Map<number, FieldValue>([
    [3, PrivateProcessing.appointmentLookup + AccountType.default + AccountType.default],
    [4, amountN12(0)],
    [7, transmissionDateTime(ctx.epochMs)],
    [11, ctx.stan],
    [12, localTime(ctx.epochMs, terminal.utcOffsetMinutes)],
    [13, localDate(ctx.epochMs, terminal.utcOffsetMinutes)],
    [22, '011'],
    [25, '02'],
    [32, terminal.acquirerId],
    [37, ctx.rrn],
    [41, terminal.terminalId],
    [42, terminal.acceptorId],
    [43, terminal.nameLocation],
    [48, formatPrivateData([[PrivateTag.appointmentCode, code]])],
    [49, '156'],
  ]);
  return { mti: '0100', fields };
}

/** Reads the 0110; an approval without a usable reference or amount is treated as a format error (30). */
export function interpretAppointmentReply(response: IsoMessage): AppointmentReply {
  const text = (id: number): string | undefined => {
    const v = response.fields.get(id);
    return typeof v === 'string' ? v : undefined;
  };
  const responseCode = text(39) ?? '';
  const action = actionForResponseCode(responseCode);
  if (action !== 'approve') return { action, responseCode };
  const reference = parsePrivateData(text(48) ?? '')?.find(([tag]) => tag === PrivateTag.appointmentRef)?.[1];
  const amountMinor = Number(text(4) ?? 'x');
  const account = text(102)?.trim() ?? '';
  if (
    reference === undefined ||
    reference === '' ||
    !Number.isSafeInteger(amountMinor) ||
    amountMinor <= 0 ||
    !/^\d{13,19}$/.test(account)
  )
    return { action: actionForResponseCode('30'), responseCode: '30' };
  return { action, responseCode, appointment: { reference, amountMinor, account } };
}
