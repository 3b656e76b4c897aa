/**
 * Requests the kiosk sends for each service and what it reads from the answers (host-crypto.md
 * §1.2-1.4). Pure: the STAN, RRN, time, PIN block and chip data come in, an IsoMessage goes out;
 * a response comes in, a HostResult (the session machine's vocabulary) plus service data goes out.
 */
import { Buffer } from 'node:buffer';
import type { HostResult } from '../../state-machines/session/types.js';
import {
  AccountType,
  TransactionType,
  amountN12,
  localDate,
  localTime,
  parseBalances,
  transmissionDateTime,
  type AccountTypeCode,
  type Balance,
  type FieldValue,
  type IsoMessage,
} from './iso8583/index.js';
import { checkDispenseToken, type DispenseTokenFault } from './dispense-token.js';
import type { TerminalIdentity } from './link/terminal.js';
import { PrivateTag, formatPrivateData, fromUtf8Hex, parsePrivateData, type PrivateItem } from './private-data.js';
import { actionForResponseCode } from './response-codes.js';

/** What the card reader read. The link needs the PAN for DE2; the session machine never sees it. */
export interface CardData {
  readonly pan: string;
  /** DE35, track 2 or its chip equivalent (tag 57), `PAN=YYMMsvc…`. */
  readonly track2?: string;
  /** DE14, YYMM. */
  readonly expiry?: string;
  /** DE23, the PAN sequence number (5F34) as n3, e.g. "001". */
  readonly sequenceNumber?: string;
  /**
   * `appointment`: a cardless withdrawal booked in the bank's app. There is no card: `pan` holds the
   * booked account's digits, only as the PAN field of the ISO 9564 format 0 PIN block, and
   * `appointmentRef` goes to the host (DE48 AR) instead of DE2/DE14/DE35.
   */
  readonly entry: 'chip' | 'magstripe' | 'appointment';
  readonly appointmentRef?: string;
}

/** Private processing codes (DE3 positions 1-2) not in the public table; agree them with the host. */
export const PrivateProcessing = { miniStatement: '38', appointmentLookup: '39', transferRevocation: '49' } as const;

interface CardRequest {
  readonly card: CardData;
  /** DE52, ISO 9564 format 0 under the PIK, from the PIN pad. */
  readonly pinBlock: Uint8Array;
  /** DE55 from the EMV kernel (1st GENERATE AC). */
  readonly iccData?: Uint8Array;
  /** Account type to debit, DE3 positions 3-4. */
  readonly account?: AccountTypeCode;
}

export type TransactionRequest =
  | (CardRequest & {
      readonly kind: 'withdrawal';
      readonly amountMinor: number;
      /**
       * The cash dispenser's command nonce (getCommandNonce), upper-case hex. The host answers an
       * approval with a dispense token signed on it (xfs4iot.md §5); without it there is no token
       * and the dispenser will not pay.
       */
      readonly dispenseNonce?: string;
    })
  | (CardRequest & { readonly kind: 'balance' })
  | (CardRequest & { readonly kind: 'deposit'; readonly amountMinor: number })
  | (CardRequest & { readonly kind: 'transferInquiry'; readonly payeeAccount: string; readonly amountMinor: number })
  | (CardRequest & {
      readonly kind: 'transfer';
      readonly payeeAccount: string;
      readonly amountMinor: number;
      /** The customer saw the masked payee name (transferInquiry) and chose real time (银发〔2019〕85号 §11). */
      readonly realTimeConfirmed?: boolean;
    })
  | (CardRequest & { readonly kind: 'transferRevocation'; readonly reference: string })
  | (CardRequest & { readonly kind: 'pinChange'; readonly newPinBlock: Uint8Array })
  | (CardRequest & { readonly kind: 'miniStatement' });

export type HostTransactionKind = TransactionRequest['kind'];

/** The numbering and time of one request. */
export interface RequestContext {
  readonly terminal: TerminalIdentity;
  readonly stan: string;
  readonly rrn: string;
  readonly epochMs: number;
}

/** Services that move money and so may need a reversal. */
export const MONEY_MOVING: ReadonlySet<HostTransactionKind> = new Set(['withdrawal', 'deposit', 'transfer']);

const CNY = '156';
/** DE53: ISO format 0 PIN block under a double-length TDES key (§1.2). */
const SECURITY_CONTROL = '2600000000000000';
/** DE25: unattended terminal able to accept a PIN; DE26: PIN capture up to 12 digits. */
const POS_CONDITION = '02';
const PIN_CAPTURE = '12';

function typeCode(request: TransactionRequest): string {
  switch (request.kind) {
    case 'withdrawal':
      return TransactionType.withdrawal;
    case 'balance':
      return TransactionType.balanceInquiry;
    case 'deposit':
      return TransactionType.deposit;
    case 'transferInquiry':
    case 'transfer':
      return TransactionType.transfer;
    case 'transferRevocation':
      return PrivateProcessing.transferRevocation;
    case 'pinChange':
      return TransactionType.pinChange;
    case 'miniStatement':
      return PrivateProcessing.miniStatement;
  }
}

function amountOf(request: TransactionRequest): number {
  return 'amountMinor' in request ? request.amountMinor : 0;
}

function privateItems(request: TransactionRequest): PrivateItem[] {
  switch (request.kind) {
    case 'withdrawal':
      return [
        ...(request.card.appointmentRef === undefined
          ? []
          : [[PrivateTag.appointmentRef, request.card.appointmentRef] as const]),
        ...(request.dispenseNonce === undefined ? [] : [[PrivateTag.dispenseNonce, request.dispenseNonce] as const]),
      ];
    case 'transfer':
      return request.realTimeConfirmed === true ? [[PrivateTag.realTimeConfirmed, '1']] : [];
    case 'transferRevocation':
      return [[PrivateTag.transferReference, request.reference]];
    case 'pinChange':
      return [[PrivateTag.newPinBlock, Buffer.from(request.newPinBlock).toString('hex').toUpperCase()]];
    default:
      return [];
  }
}

/** The 0100 (transfer inquiry) or 0200 for a service, without its MAC (the link adds DE64/DE128). */
export function buildRequest(request: TransactionRequest, ctx: RequestContext): IsoMessage {
  const { card } = request;
  const { terminal } = ctx;
  // DE3 = type, from account, to account; the private types are not in the helper's closed list.
  const de3 = typeCode(request) + (request.account ?? AccountType.default) + AccountType.default;
  const cardless = card.entry === 'appointment';
  const fields = new Map<number, FieldValue>([
    ...(cardless ? [] : [[2, card.pan] as const]),
    [3, de3],
    [4, amountN12(amountOf(request))],
    [7, transmissionDateTime(ctx.epochMs)],
    [11, ctx.stan],
    [12, localTime(ctx.epochMs, terminal.utcOffsetMinutes)],
    [13, localDate(ctx.epochMs, terminal.utcOffsetMinutes)],
  ]);
  if (card.expiry !== undefined && !cardless) fields.set(14, card.expiry);
  // 01 = keyed (the appointment code, no card), 02 = magnetic stripe, 05 = chip; 1 = PIN capable.
  fields.set(22, cardless ? '011' : card.entry === 'chip' ? '051' : '021');
  if (card.sequenceNumber !== undefined) fields.set(23, card.sequenceNumber);
  fields.set(25, POS_CONDITION);
  fields.set(26, PIN_CAPTURE);
  fields.set(32, terminal.acquirerId);
  if (card.track2 !== undefined && !cardless) fields.set(35, card.track2);
  fields.set(37, ctx.rrn);
  fields.set(41, terminal.terminalId);
  fields.set(42, terminal.acceptorId);
  fields.set(43, terminal.nameLocation);
  const items = privateItems(request);
  if (items.length > 0) fields.set(48, formatPrivateData(items));
  fields.set(49, CNY);
  fields.set(52, request.pinBlock);
  fields.set(53, SECURITY_CONTROL);
  if (request.iccData !== undefined) fields.set(55, request.iccData);
  if (request.kind === 'transfer' || request.kind === 'transferInquiry') {
    fields.set(102, card.pan);
    fields.set(103, request.payeeAccount);
  }
  return { mti: request.kind === 'transferInquiry' ? '0100' : '0200', fields };
}

// ---- responses ---------------------------------------------------------------------------------

/** How a transfer the host accepted will be executed (银发〔2016〕261号 §8, 〔2019〕85号 §11). */
export interface TransferOutcome {
  readonly mode: 'realTime' | 'delayed';
  /** Delayed transfers: when the host will execute it (acceptance + 24 h); revocable until then. */
  readonly executeAtMs?: number;
  readonly revocable: boolean;
  /** Inquiry: the bank would execute it in real time once the customer confirms the masked name (〔2019〕85号 §11). */
  readonly realTimeOffered?: boolean;
  readonly reference?: string;
  /** As the host masks it, e.g. "*小明"; shown on the confirmation and result screens. */
  readonly payeeNameMasked?: string;
}

export interface StatementLine {
  /** YYMMDD. */
  readonly date: string;
  /** Minor units; negative for a debit. */
  readonly amountMinor: number;
  readonly description: string;
}

/** The session machine's HostResult plus what some services return. */
export interface HostReply extends HostResult {
  /** DE55 of the response (tag 91 ARPC, scripts 71/72) for the card's 2nd GENERATE AC. */
  readonly issuerData?: Uint8Array;
  readonly balances?: readonly Balance[];
  readonly transfer?: TransferOutcome;
  readonly statement?: readonly StatementLine[];
  /** The response's DE48 was present but malformed; the service data above is then missing. */
  readonly privateDataMalformed?: boolean;
  /**
   * Approved withdrawal that sent a `dispenseNonce`: the host-signed XFS4IoT token for the
   * dispenser's `dispense({token})`, already checked for shape, nonce and amount.
   */
  readonly dispenseToken?: string;
  /**
   * Approved withdrawal whose token is missing or unusable: the kiosk must not dispense.
   * `HostTransactions.perform` then answers outOfService — 68 with the reversal owed, or 91 for
   * `nonceFormat` (nothing sent).
   */
  readonly dispenseTokenFault?: DispenseTokenFault;
}

/** What `interpretResponse` needs of the request to judge a dispense token. */
export interface SentRequest {
  readonly kind: HostTransactionKind;
  readonly amountMinor?: number;
  readonly dispenseNonce?: string;
}

const EXECUTE_AT = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
const STATEMENT_LINE = /^(\d{6})([CD])(\d{12})(.*)$/;

function parseExecuteAt(text: string | undefined): number | undefined {
  const m = text === undefined ? null : EXECUTE_AT.exec(text);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

function parseStatementLine(text: string): StatementLine | null {
  const m = STATEMENT_LINE.exec(text);
  if (m === null) return null;
  const amount = Number(m[3]);
  return { date: m[1]!, amountMinor: m[2] === 'D' ? -amount : amount, description: m[4]!.trimEnd() };
}

function transferOutcome(items: readonly PrivateItem[]): TransferOutcome | undefined {
  const get = (tag: string): string | undefined => items.find(([t]) => t === tag)?.[1];
  const mode = get(PrivateTag.transferMode);
  if (mode !== 'R' && mode !== 'D') return undefined;
  const name = get(PrivateTag.payeeName);
  const executeAtMs = parseExecuteAt(get(PrivateTag.executeAt));
  const reference = get(PrivateTag.transferReference);
  const payeeNameMasked = name === undefined ? undefined : (fromUtf8Hex(name) ?? undefined);
  return {
    mode: mode === 'R' ? 'realTime' : 'delayed',
    revocable: mode === 'D',
    ...(get(PrivateTag.realTimeConfirmed) === '1' ? { realTimeOffered: true } : {}),
    ...(executeAtMs === undefined ? {} : { executeAtMs }),
    ...(reference === undefined ? {} : { reference }),
    ...(payeeNameMasked === undefined ? {} : { payeeNameMasked }),
  };
}

function balanceOf(balances: readonly Balance[], amountType: string): number | undefined {
  return balances.find((b) => b.amountType === amountType)?.amountMinor;
}

/**
 * Reads a 0110/0210 (its MAC already checked by the link). Never throws: bad optional fields are
 * left out. With the request, an approved withdrawal's dispense token is checked against it (a
 * token in any other reply is ignored).
 */
export function interpretResponse(response: IsoMessage, sent?: SentRequest): HostReply {
  const text = (id: number): string | undefined => {
    const v = response.fields.get(id);
    return typeof v === 'string' ? v : undefined;
  };
  const responseCode = text(39) ?? '';
  const reply: { -readonly [K in keyof HostReply]: HostReply[K] } = {
    action: actionForResponseCode(responseCode),
    responseCode,
  };
  const authCode = text(38)?.trim();
  if (authCode) reply.authCode = authCode;
  const rrn = text(37)?.trim();
  if (rrn) reply.rrn = rrn;
  const de54 = text(54);
  if (de54 !== undefined) {
    try {
      const balances = parseBalances(de54);
      reply.balances = balances;
      const ledger = balanceOf(balances, '01');
      const available = balanceOf(balances, '02');
      if (ledger !== undefined) reply.ledgerBalanceMinor = ledger;
      if (available !== undefined) reply.availableBalanceMinor = available;
    } catch {
      // A malformed DE54 leaves the balances out; the response code still stands.
    }
  }
  const icc = response.fields.get(55);
  if (icc instanceof Uint8Array) reply.issuerData = icc;
  const de48 = text(48);
  const items = de48 === undefined ? [] : parsePrivateData(de48);
  if (items === null) reply.privateDataMalformed = true;
  else {
    const transfer = transferOutcome(items);
    if (transfer !== undefined) reply.transfer = transfer;
    const lines = items.filter(([tag]) => tag === PrivateTag.statementLine).map(([, v]) => parseStatementLine(v));
    if (lines.length > 0) reply.statement = lines.filter((l): l is StatementLine => l !== null);
  }
  if (sent?.kind === 'withdrawal' && reply.action === 'approve') {
    // An unreadable DE48 counts as no token (`privateDataMalformed` says why).
    const token = items?.find(([tag]) => tag === PrivateTag.dispenseToken)?.[1];
    const checked = checkDispenseToken(token, { nonce: sent.dispenseNonce, amountMinor: sent.amountMinor ?? 0 });
    if (checked !== null && 'token' in checked) reply.dispenseToken = checked.token;
    else if (checked !== null) reply.dispenseTokenFault = checked.fault;
  }
  return reply;
}
