/**
 * The vocabulary shared by the maintenance machine, the runtime actors that
 * serve it and the view projection. Passwords never appear here: they travel
 * only in the `maint.login` event to the runtime's operator check.
 */

/** Most notes a technician may declare for one cassette (the largest cassettes hold about 3,000). */
export const MAX_CASSETTE_COUNT = 3000;

/** The supervisor menu, in button order. */
export const MAINTENANCE_MENU = [
  'maint.devices',
  'maint.cashUnits',
  'maint.replenish',
  'maint.cardBin',
  'maint.printCounters',
  'maint.exit',
] as const;
export type MaintenanceMenuOption = (typeof MAINTENANCE_MENU)[number];

/** The card bin screen's one action: the technician has emptied the bin. */
export const RESET_CARD_BIN = 'maint.cardBin.reset';

/** Catalogue keys of the messages the maintenance screens can show. */
export const MAINTENANCE_MESSAGES = [
  'maint.login.wrong',
  'maint.login.locked',
  'maint.loggedOut',
  'maint.timedOut',
  'maint.counts.invalid',
  'maint.replenish.done',
  'maint.replenish.refused',
  'maint.replenish.failed',
  'maint.cardBin.emptied',
  'maint.printed',
  'maint.printFailed',
  'maint.failed',
] as const;
export type MaintenanceMessage = (typeof MAINTENANCE_MESSAGES)[number];

/** One cash unit as the technician sees it; money in minor units. */
export interface CashUnitInfo {
  readonly unitId: string;
  /**
   * A payout cassette or recycle unit, a deposit cashbox, or a reject/retract
   * bin. The technician counts every one at a replenishment (an emptied
   * cashbox or bin is counted 0).
   */
  readonly role: 'cassette' | 'cashbox' | 'bin';
  /** ISO 4217 code; '' for a bin that takes any note. */
  readonly currency: string;
  /** Face value in minor units; 0 for a bin. */
  readonly valueMinor: number;
  /** Notes in the unit now, as counted. */
  readonly count: number;
  /** Notes loaded at the last exchange. */
  readonly initial: number;
  /** Notes handed to customers since the last exchange. */
  readonly dispensed: number;
  /** Cassette: notes diverted to the reject bin. Bin: notes rejected into it. */
  readonly rejected: number;
  /** Bin: notes retracted into it (not taken by a customer). */
  readonly retracted: number;
  /** XFS4IoT replenishment status: ok, low, empty, high, full. */
  readonly fill: string;
}

/** The card reader's retain bin. */
export interface CardBinInfo {
  readonly count: number;
  readonly threshold: number;
  readonly capacity: number;
}

/** What the operator check answered; a locked terminal tells how long it stays locked. */
export type LoginResult =
  | { readonly outcome: 'ok' }
  | { readonly outcome: 'wrong' }
  | { readonly outcome: 'locked'; readonly retryAfterMs: number };

/** Why a technician's session ended (journaled with the logout). */
export type LogoutReason = 'exit' | 'timeout' | 'switchToRun';

/** Counts a technician may declare for these units: one integer 0..MAX per unit, bins included, in unit order. */
export function validCounts(counts: readonly number[], units: readonly CashUnitInfo[]): boolean {
  return (
    units.length > 0 &&
    counts.length === units.length &&
    counts.every((n) => Number.isInteger(n) && n >= 0 && n <= MAX_CASSETTE_COUNT)
  );
}
