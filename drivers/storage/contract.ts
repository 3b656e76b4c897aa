import type { DeviceCommand } from '../common/completion.js';
import type { CommonDeviceEvents, Device } from '../common/device.js';
import type { CommonStatus } from '../common/status.js';

/**
 * Storage units (cassettes, bins, card hoppers), after XFS4IoT Storage. The
 * storage service owns the accounting: cash devices report what moved, storage
 * applies it to the counts, derives totals and replenishment states, and raises
 * the threshold/count events. Money is always integer minor units (fen) plus an
 * ISO 4217 alphabetic currency code.
 */

/** Storage errorCode values (XFS4IoT Storage), used with `commandErrorCode`. */
export const STORAGE_ERROR_CODES = [
  'storageUnitError',
  'exchangeActive',
  'transactionActive',
  'noExchangeActive',
  'invalidUnit',
] as const;
export type StorageErrorCode = (typeof STORAGE_ERROR_CODES)[number];

/** ISO 4217 alphabetic code in upper case, e.g. "CNY". */
export type CurrencyCode = string;

/** An amount of money: integer minor units (fen for CNY) of one currency. */
export interface Money {
  readonly currency: CurrencyCode;
  /** Minor units; a non-negative integer. */
  readonly amount: number;
}

/** A kind of banknote: currency and face value. */
export interface CashItem {
  readonly currency: CurrencyCode;
  /** Face value in minor units, e.g. 10000 for a 100-yuan note. */
  readonly value: number;
}

/** One physical note. The serial number (冠字号) travels with it wherever the device reports it. */
export interface Banknote extends CashItem {
  /** As read by the note validator; absent when the device cannot read it. */
  readonly serialNumber?: string;
}

/**
 * What a cash unit is used for; a unit may have several (a combined reject and
 * retract bin). `recycle` units both take deposits and pay out.
 */
export const CASH_UNIT_TYPES = ['cashIn', 'cashOut', 'recycle', 'reject', 'retract'] as const;
export type CashUnitType = (typeof CASH_UNIT_TYPES)[number];

/** Physical state of a unit. Only `ok` units are used by cash commands. */
export const STORAGE_UNIT_STATUSES = ['ok', 'inoperative', 'missing', 'notConfigured', 'manipulated'] as const;
export type StorageUnitStatus = (typeof STORAGE_UNIT_STATUSES)[number];

/** Fill level, derived from the count and the unit's limits (see `replenishmentStatus`). */
export const REPLENISHMENT_STATUSES = ['ok', 'full', 'high', 'low', 'empty'] as const;
export type ReplenishmentStatus = (typeof REPLENISHMENT_STATUSES)[number];

/**
 * Items that left a unit, by where they are now. An item sits in exactly one
 * bucket: a dispensed note counts as `stacked`, then moves to `presented` or
 * `rejected`; retracting it later adds it to the retract unit's `in.retracted`.
 */
export interface CashOutCounts {
  /** Presented to the customer (taken or later retracted). */
  readonly presented: number;
  /** Diverted to a reject unit during or after a dispense. */
  readonly rejected: number;
  /** Moved to another unit outside a dispense (e.g. emptying to a recycler). */
  readonly distributed: number;
  /** Left the unit but whereabouts unknown, e.g. after a power cut mid-dispense. */
  readonly unknown: number;
  /** In the intermediate stacker, not yet presented. */
  readonly stacked: number;
  /** Sent to another unit during a dispense without being rejected. */
  readonly diverted: number;
  /** In the transport, e.g. retracted only as far as the transport. */
  readonly transport: number;
}

/** Items that entered a unit, by how they came. */
export interface CashInCounts {
  /** Retract operations into this unit (not an item count; checked against `maxRetracts`). */
  readonly retractOperations: number;
  /** Deposited by a customer (cash-in committed). */
  readonly deposited: number;
  /** Retracted from an output position. */
  readonly retracted: number;
  /** Rejected by a dispense or a reject command. */
  readonly rejected: number;
  /** Moved in from another unit. */
  readonly distributed: number;
  /** Moved in from the transport on reset. */
  readonly transport: number;
}

/** The persistent counters of a cash unit. The item count is `initial + Σin − Σout`. */
export interface CashUnitCounts {
  /** Items loaded at the last exchange. */
  readonly initial: number;
  readonly in: CashInCounts;
  readonly out: CashOutCounts;
}

/** A change to apply to a unit's counters: positive or negative per bucket. */
export interface CountsDelta {
  readonly in?: Partial<CashInCounts>;
  readonly out?: Partial<CashOutCounts>;
}

/** The limits the replenishment status is derived from. */
export interface UnitLimits {
  /** Items the unit holds when full; 0 = not known (never reported `full`). */
  readonly capacity: number;
  /** `low` when the count is at or below this; 0 = only `empty` is reported. */
  readonly lowThreshold: number;
  /** `high` when the count is at or above this; 0 = off. */
  readonly highThreshold: number;
}

/** What an operator configures for a cash unit (XFS4IoT cash unit configuration). */
export interface CashUnitConfiguration extends UnitLimits {
  readonly types: readonly CashUnitType[];
  /** ISO 4217 code; `''` for a unit that takes any currency (reject, retract). */
  readonly currency: CurrencyCode;
  /** Note value in minor units; 0 for mixed units (cash-in, reject, retract). */
  readonly value: number;
  /** The application keeps deposits out of this unit. */
  readonly appLockIn: boolean;
  /** The application keeps dispenses out of this unit. */
  readonly appLockOut: boolean;
  /** Retract operations the unit accepts; 0 = limited only by capacity. */
  readonly maxRetracts: number;
}

/** A cash unit as reported by getStorage. `count` and `replenishmentStatus` are derived. */
export interface CashUnit {
  /** Logical identifier the cash commands use (XFS4IoT key `unitN`). */
  readonly id: string;
  /** Where it sits, e.g. "cassette1" or "rejectBin". */
  readonly position: string;
  readonly serialNumber?: string;
  readonly status: StorageUnitStatus;
  readonly configuration: CashUnitConfiguration;
  readonly counts: CashUnitCounts;
  /** `initial + Σin − Σout`, never negative in a consistent model. */
  readonly count: number;
  readonly replenishmentStatus: ReplenishmentStatus;
}

/** Card units: `retain` captures cards, `dispense` issues them, `park` holds one temporarily. */
export type CardUnitType = 'retain' | 'dispense' | 'park';

/** A card unit. Counts are persistent, like cash counts. */
export interface CardUnit {
  /** Unique across cash and card units, so that unit events name one unit. */
  readonly id: string;
  readonly position: string;
  readonly status: StorageUnitStatus;
  readonly type: CardUnitType;
  /** Cards the unit holds when full; 0 = not known. */
  readonly capacity: number;
  /** Retain/park: `high` at or above it. Dispense: `low` at or below it. 0 = off. */
  readonly threshold: number;
  /** Cards in the unit at the last exchange. */
  readonly initialCount: number;
  /** Cards in the unit now. */
  readonly count: number;
  /** Cards retained since the last exchange. */
  readonly retainCount: number;
  readonly replenishmentStatus: ReplenishmentStatus;
}

export interface StorageSnapshot {
  readonly cash: readonly CashUnit[];
  readonly card: readonly CardUnit[];
}

export interface StorageStatus extends CommonStatus {
  /** `active` between startExchange and endExchange; cash commands fail with `exchangeActive`. */
  readonly exchange: 'active' | 'inactive';
  /** Common.SetTransactionState: `active` during a customer session. */
  readonly transaction: 'active' | 'inactive';
}

/** A cash unit's settable fields during an exchange. */
export interface CashUnitChange {
  readonly configuration?: Partial<CashUnitConfiguration>;
  /** Sets the count after replenishment: `initial` becomes this and every in/out bucket resets to 0. */
  readonly initial?: number;
  /** E.g. back to `ok` after a repaired `inoperative` unit. */
  readonly status?: StorageUnitStatus;
}

/** A card unit's settable fields during an exchange. */
export interface CardUnitChange {
  readonly capacity?: number;
  readonly threshold?: number;
  /** Sets `initialCount` and `count` to this and `retainCount` to 0. */
  readonly initialCount?: number;
  readonly status?: StorageUnitStatus;
}

/** Keys are unit ids; unknown ids fail the whole request with `invalidUnit` and change nothing. */
export interface SetStorageRequest {
  readonly cash?: Readonly<Record<string, CashUnitChange>>;
  readonly card?: Readonly<Record<string, CardUnitChange>>;
}

export interface SetTransactionStateRequest {
  readonly state: 'active' | 'inactive';
  /** The application's transaction reference, for logs. */
  readonly transactionId?: string;
}

/** Why a unit failed during a command (XFS4IoT StorageErrorEvent). */
export type StorageFailure =
  | 'empty'
  | 'error'
  | 'full'
  | 'locked'
  | 'invalid'
  | 'config'
  | 'notConfigured'
  | 'feedModuleProblem';

export interface StorageEvents extends CommonDeviceEvents<StorageStatus> {
  /** Unsolicited: a unit's replenishment status changed (reached or left a threshold). */
  storageThreshold: { readonly unitId: string; readonly replenishmentStatus: ReplenishmentStatus };
  /** Unsolicited: configuration or unit status changed (exchange, unit removed, unit failed). */
  storageChanged: StorageSnapshot;
  /** Unsolicited: counts changed; carries the changed units only. */
  countsChanged: StorageSnapshot;
  /** Solicited, during the cash command that hit the problem. */
  storageError: { readonly unitId: string; readonly failure: StorageFailure };
}

export interface StorageDevice extends Device<StorageStatus, StorageEvents> {
  readonly deviceClass: 'storage';
  /** Every unit with counts; answered even during an exchange. */
  getStorage: DeviceCommand<void, StorageSnapshot, StorageErrorCode>;
  /**
   * Starts an exchange: cash commands are refused until endExchange.
   * Fails with exchangeActive or transactionActive.
   */
  startExchange: DeviceCommand<void, StorageSnapshot, StorageErrorCode>;
  /** Changes units atomically. Fails with noExchangeActive or invalidUnit (then nothing changes). */
  setStorage: DeviceCommand<SetStorageRequest, StorageSnapshot, StorageErrorCode>;
  /** Ends the exchange and reports storageChanged. Fails with noExchangeActive. */
  endExchange: DeviceCommand<void, StorageSnapshot, StorageErrorCode>;
  /**
   * Common.SetTransactionState, kept here because storage is what enforces it:
   * startExchange fails with transactionActive while a session is active.
   */
  setTransactionState: DeviceCommand<SetTransactionStateRequest, void, StorageErrorCode>;
}

/**
 * The Storage commands of a cash device that counts its own units (a
 * dispenser whose mechanism cannot count the notes in a cassette): a
 * replenishment is StartExchange → SetStorage (`initial` per unit) →
 * EndExchange, and cash commands fail with `exchangeActive` in between.
 */
export interface CashUnitStorage {
  /** Every unit with its counters; answered during an exchange too. */
  cashUnits(): readonly CashUnit[];
  /** Fails with exchangeActive when one is already running. */
  startExchange: DeviceCommand<void, readonly CashUnit[], StorageErrorCode>;
  /**
   * Sets units' counts atomically; only `initial` can change on such a device.
   * Fails with noExchangeActive, or invalidUnit for an unknown id (then nothing changes).
   */
  setCashUnits: DeviceCommand<Readonly<Record<string, CashUnitChange>>, readonly CashUnit[], StorageErrorCode>;
  /** Fails with noExchangeActive. */
  endExchange: DeviceCommand<void, readonly CashUnit[], StorageErrorCode>;
}

/**
 * Which of a device's own transaction records its unit counters include, kept
 * beside the counters so that they can be handed back after a restart:
 * `recordId` (none before the device kept any record) and, while that record
 * can still change (notes presented, then taken or retracted), what it has
 * contributed so far; without `contribution` the record is counted in full.
 */
export interface CountedRecord {
  readonly recordId?: number;
  readonly contribution?: Readonly<Record<string, CountsDelta>>;
}

/**
 * A driver that keeps its units' counters in memory (its mechanism cannot
 * count notes) while the kiosk keeps them durably: read with the record they
 * include, handed back before the device is opened.
 */
export interface RestorableCounts {
  cashUnits(): readonly CashUnit[];
  /** Undefined until the device's record was first read (or restored). */
  countedRecord(): CountedRecord | undefined;
  /**
   * Before open: every named unit starts from these counters instead of its
   * configured count. Without `counted`, the record the device shows at its
   * first status read counts as included. Throws, changing nothing, once the
   * device was read or when the counters and the record do not fit.
   */
  restoreCounts(counts: Readonly<Record<string, CashUnitCounts>>, counted: CountedRecord | undefined): void;
}
