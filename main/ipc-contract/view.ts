import type { Language } from './intents.js';

/**
 * The serialisable picture of the session the runtime streams to the renderer.
 * The renderer is a pure function of the latest view: it holds no session state.
 */

/** Every screen a customer can see; each has a voice prompt (renderer/voice). */
export const CUSTOMER_SCREEN_IDS = [
  'starting',
  'welcome',
  'outOfService',
  'pleaseWait',
  'language',
  'pin',
  'menu',
  'amount',
  'amountEntry',
  'receiptQuestion',
  'confirm',
  'takeCash',
  'takeCard',
  'balance',
  'anotherTransaction',
  'notice',
  // Projected by the runtime as those transactions arrive; the renderer draws them already.
  'depositInsert',
  'depositCount',
  'depositConfirm',
  'depositReturn',
  'transferPayee',
  'transferAmount',
  'transferWarning',
  'transferConfirm',
  'transferResult',
  'depositLargeCash',
  'miniStatement',
  'pinChange',
  'noteMix',
  'retractNotice',
  'rating',
  'complaint',
  'complaintTicket',
] as const;

/** The technician's screens (supervisor mode); no voice prompts, they are not for customers. */
export const MAINTENANCE_SCREEN_IDS = [
  'maintLogin',
  'maintMenu',
  'maintDevices',
  'maintCashUnits',
  'maintReplenish',
  'maintReplenishConfirm',
  'maintCardBin',
  'maintNotice',
] as const;

/** Every screen the renderer can draw. */
export const SCREEN_IDS = [...CUSTOMER_SCREEN_IDS, ...MAINTENANCE_SCREEN_IDS] as const;
export type ScreenId = (typeof SCREEN_IDS)[number];
export type MaintenanceScreenId = (typeof MAINTENANCE_SCREEN_IDS)[number];

export function isMaintenanceScreen(screen: ScreenId): screen is MaintenanceScreenId {
  return (MAINTENANCE_SCREEN_IDS as readonly string[]).includes(screen);
}

/**
 * What the current screen shows besides its catalogue text. Money is in minor
 * units with its currency; the renderer formats it for the locale. Only masked
 * card numbers ever appear here.
 */
export interface ScreenData {
  /** Catalogue key of a message (error, notice, hint) for this screen. */
  readonly message?: string;
  /** What the kiosk is busy with on `pleaseWait`, as a catalogue key. */
  readonly step?: string;
  readonly currency?: string;
  readonly amountMinor?: number;
  readonly maxAmountMinor?: number;
  readonly multipleMinor?: number;
  readonly availableBalanceMinor?: number;
  readonly ledgerBalanceMinor?: number;
  /** PIN digits entered so far: the renderer shows this many dots. */
  readonly pinDigits?: number;
  readonly maskedPan?: string;
  /** Seconds the customer has on this screen before the kiosk acts (card captured, cash retracted). */
  readonly deadlineSeconds?: number;
  /** Notes by denomination: counted in a deposit (`depositConfirm`) or handed back (`depositReturn`). */
  readonly notes?: readonly NoteCount[];
  /** Notes the acceptor refused (`depositReturn`, `depositConfirm`). */
  readonly rejectedNotes?: number;
  /** Most notes the acceptor takes in one go (`depositInsert`). */
  readonly maxNotes?: number;
  /** The note mixes `noteMix` offers, one per `mix.*` option. */
  readonly noteMixes?: readonly NoteMixChoice[];
  /** The payee account as the runtime masked it, e.g. "6222 **** **** 1234". */
  readonly payeeAccountMasked?: string;
  /** The payee's name as the bank returned it, masked except the last character, e.g. "*小明". */
  readonly payeeNameMasked?: string;
  readonly feeMinor?: number;
  /** Hours before a transfer to another person is credited (and may still be revoked), e.g. 24. */
  readonly creditDelayHours?: number;
  /** Longest text the keypad accepts on `transferPayee` (account number digits). */
  readonly maxLength?: number;
  /** Mini-statement lines, newest first. */
  readonly statement?: readonly StatementLine[];
  /** Which PIN the customer is typing on `pinChange`. */
  readonly pinStage?: PinStage;
  /** The complaint's ticket number on `complaintTicket`. */
  readonly ticketNumber?: string;
  /** The technician signed in on the maintenance screens. */
  readonly operatorId?: string;
  /** Cash units on the maintenance screens, cassettes first. */
  readonly cashUnits?: readonly CashUnitSummary[];
  /** Counts typed at a replenishment, one per unit (bins included) in `cashUnits` order (`maintReplenishConfirm`). */
  readonly enteredCounts?: readonly number[];
  /** Largest count one cassette entry accepts (`maintReplenish`). */
  readonly maxCount?: number;
  /** The card reader's retain bin (`maintCardBin`). */
  readonly cardBin?: CardBinSummary;
}

/** One cash unit on the maintenance screens; money in minor units. */
export interface CashUnitSummary {
  readonly unitId: string;
  /** `cassette` (payout or recycle), `cashbox` or reject `bin`: each is counted at a replenishment. */
  readonly role: 'cassette' | 'cashbox' | 'bin';
  readonly currency: string;
  readonly valueMinor: number;
  readonly count: number;
  /** Loaded at the last exchange. */
  readonly initial: number;
  /** Handed to customers since the last exchange. */
  readonly dispensed: number;
  readonly rejected: number;
  readonly retracted: number;
  /** Replenishment status: ok, low, empty, high, full. */
  readonly fill: string;
}

export interface CardBinSummary {
  readonly count: number;
  readonly threshold: number;
  readonly capacity: number;
}

export interface NoteCount {
  readonly valueMinor: number;
  readonly count: number;
}

export interface NoteMixChoice {
  /** The `mix.*` option that picks this mix. */
  readonly option: string;
  readonly notes: readonly NoteCount[];
}

export interface StatementLine {
  /** Booking date, ISO 8601 (YYYY-MM-DD). */
  readonly date: string;
  /** A catalogue key (`statement.*`) or, failing that, the host's own text. */
  readonly description: string;
  /** Signed: negative for money out. */
  readonly amountMinor: number;
  readonly balanceMinor?: number;
}

export const PIN_STAGES = ['current', 'new', 'repeat'] as const;
export type PinStage = (typeof PIN_STAGES)[number];

/** Options `rating` offers: one to five stars, and a complaint. */
export const RATING_OPTIONS = ['rating.1', 'rating.2', 'rating.3', 'rating.4', 'rating.5', 'rating.complaint'] as const;
/** Options `complaint` offers: what went wrong; the runtime answers with `complaintTicket`. */
export const COMPLAINT_OPTIONS = [
  'complaint.cash',
  'complaint.card',
  'complaint.receipt',
  'complaint.slow',
  'complaint.hardToUse',
  'complaint.other',
] as const;

/** A device's state as the customer UI and the maintenance view see it. */
export interface DeviceSummary {
  readonly id: string;
  readonly deviceClass: string;
  readonly state: string;
  /** Model and protocol, e.g. "ESC/POS thermal printer". */
  readonly model: string;
}

/** Which services the kiosk can offer right now, derived from device and host status. */
export interface Availability {
  readonly inService: boolean;
  readonly withdrawal: boolean;
  readonly deposit: boolean;
  readonly transfer: boolean;
  readonly balance: boolean;
  readonly receipts: boolean;
  /** Why the kiosk is out of service or degraded, as catalogue keys. */
  readonly reasons: readonly string[];
}

export interface AccessibilityView {
  readonly elderly: boolean;
  readonly highContrast: boolean;
  /** Headphones plugged in: the renderer speaks every screen's prompt. */
  readonly voice: boolean;
}

export interface SessionView {
  /** Increases with every view; the renderer ignores an older one. */
  readonly seq: number;
  readonly screen: ScreenId;
  readonly language: Language;
  readonly availability: Availability;
  readonly devices: readonly DeviceSummary[];
  readonly accessibility: AccessibilityView;
  /** Options the screen offers; `ui.optionSelected` must name one of these. */
  readonly options: readonly string[];
  readonly data: ScreenData;
  /** The "need more time?" question is showing over the screen. */
  readonly moreTime: boolean;
  readonly kioskId: string;
}

export interface IntentAck {
  readonly accepted: boolean;
  /** Why it was refused: `invalid` (failed validation) or `notApplicable` (not offered now). */
  readonly reason?: 'invalid' | 'notApplicable';
}

/** The runtime→renderer wire message. */
export type ServerMessage =
  | { readonly kind: 'view'; readonly view: SessionView }
  | { readonly kind: 'ack'; readonly id: number; readonly ack: IntentAck };
