/**
 * The vocabulary shared by the session machine, the transaction machines and
 * the runtime adapters that provide their actors. Card data never appears
 * here: the runtime keeps it in its card vault and machines see only a
 * masked PAN and an opaque reference.
 */

export type Language = 'zh-CN' | 'en';

export const TRANSACTION_KINDS = [
  'withdrawal',
  'deposit',
  'transfer',
  'balance',
  'miniStatement',
  'pinChange',
] as const;
export type TransactionKind = (typeof TRANSACTION_KINDS)[number];

/** How the customer identified: a card in the reader, or an appointment code (cardless). */
export type Identity =
  | { readonly kind: 'card'; readonly maskedPan: string; readonly cardRef: string; readonly chip: boolean }
  | {
      readonly kind: 'appointment';
      readonly appointmentRef: string;
      /** The amount booked in the bank's app, in minor units. */
      readonly amountMinor: number;
    };

/** What the host's response code means for the kiosk (host-crypto.md response-code table). */
export const HOST_ACTIONS = [
  'approve',
  'decline',
  'insufficientFunds',
  'limitExceeded',
  'wrongPin',
  'pinTriesExceeded',
  'captureCard',
  'lowerAmount',
  'outOfService',
] as const;
export type HostAction = (typeof HOST_ACTIONS)[number];

export interface HostResult {
  readonly action: HostAction;
  readonly responseCode: string;
  readonly authCode?: string;
  readonly rrn?: string;
  readonly ledgerBalanceMinor?: number;
  readonly availableBalanceMinor?: number;
  /** With `lowerAmount`: the most the host will allow now. */
  readonly maxAmountMinor?: number;
}

/** How a transaction ended, as the session machine sees it. */
export const TRANSACTION_OUTCOMES = ['completed', 'declined', 'canceled', 'failed', 'wrongPin', 'captureCard'] as const;
export type TransactionOutcome = (typeof TRANSACTION_OUTCOMES)[number];

export interface TransactionResult {
  readonly kind: TransactionKind;
  readonly outcome: TransactionOutcome;
  /** Catalogue key of the message shown, e.g. "error.dispenseFailed". */
  readonly reason?: string;
  /** Money that actually moved to or from the customer, minor units. */
  readonly amountMinor?: number;
  /** The customer walked away during the transaction: the session should end, not offer another one. */
  readonly customerGone?: boolean;
}

/** Services the menu may offer, fixed when the session starts. */
export interface SessionServices {
  readonly withdrawal: boolean;
  readonly deposit: boolean;
  readonly transfer: boolean;
  readonly balance: boolean;
  readonly receipts: boolean;
}

export interface SessionLimits {
  readonly currency: string;
  readonly maxWithdrawalMinor: number;
  /** Notes are paid in multiples of this, minor units (100 CNY = 10000). */
  readonly noteMultipleMinor: number;
  readonly fastCashMinor: readonly number[];
  /** Most one transfer may move; the host enforces the daily limit. Default DEFAULT_MAX_TRANSFER_MINOR. */
  readonly maxTransferMinor?: number;
  /** Cash deposited in one session from which the large-cash rule applies. Default LARGE_CASH_MINOR. */
  readonly largeCashMinor?: number;
  /** Escrow capacity in notes, shown on the insert screen. */
  readonly maxDepositNotes?: number;
}

/** 50,000 CNY: the large-cash (大额现金) threshold for one session. */
export const LARGE_CASH_MINOR = 5_000_000;
/** 50,000 CNY per transfer at a self-service terminal. */
export const DEFAULT_MAX_TRANSFER_MINOR = 5_000_000;

/** How the host will execute a transfer: at once, or 24 h after acceptance and revocable until then. */
export type TransferMode = 'realTime' | 'delayed';

/** One mini-statement line as the machines and the screen see it. */
export interface StatementEntry {
  /** Booking date, ISO 8601 (YYYY-MM-DD). */
  readonly date: string;
  readonly description: string;
  /** Signed: negative for money out. */
  readonly amountMinor: number;
  readonly balanceMinor?: number;
}

/** Customer-wait timeouts in ms; the elderly mode multiplies them. */
export interface SessionTimeouts {
  readonly customerMs: number;
  readonly moreTimePromptMs: number;
  readonly takeCardMs: number;
  readonly takeCashMs: number;
  readonly noticeMs: number;
  readonly elderlyFactor: number;
}

export const DEFAULT_TIMEOUTS: SessionTimeouts = {
  customerMs: 30_000,
  moreTimePromptMs: 15_000,
  takeCardMs: 30_000,
  takeCashMs: 30_000,
  noticeMs: 5_000,
  elderlyFactor: 2,
};

/** Scales a timeout for the customer's mode. */
export function timeoutFor(ms: number, elderly: boolean, timeouts: SessionTimeouts): number {
  return elderly ? ms * timeouts.elderlyFactor : ms;
}
