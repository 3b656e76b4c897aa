import type { DeviceCommand } from '../common/completion.js';
import type { CommonDeviceEvents, Device } from '../common/device.js';
import type { CommonStatus } from '../common/status.js';
import type {
  CashDispenserCapabilities,
  CashDispenserCommands,
  CashDispenserEventMap,
  CashDispenserStatus,
  CashManagementCommands,
  CashManagementEventMap,
  CashModuleState,
  CashPositionStatus,
  InputPosition,
  OutputPosition,
  RetractArea,
  UnitCounts,
} from '../cash-dispenser/contract.js';
import { CASH_MANAGEMENT_ERROR_CODES } from '../cash-dispenser/contract.js';
import type { Banknote, CashItem, Money } from '../storage/contract.js';

/**
 * Cash acceptor with escrow, after XFS4IoT CashAcceptor (plus the shared
 * CashManagement commands from the dispenser contract). A recycler is the same
 * service with the dispenser commands too: see RecyclerDevice.
 *
 * Cash-in (xfs4iot.md §4.6): cashInStart → cashIn (repeatable; insertItems,
 * then refused notes come back with inputRefuse) → cashInEnd (commit) or
 * cashInRollback (return; then itemsTaken, or retract if not taken). Retract
 * and reset also end the transaction; afterwards the cash-in commands fail with
 * noCashInActive.
 */

/** CashAcceptor errorCode values (includes the CashManagement ones). */
export const CASH_ACCEPTOR_ERROR_CODES = [
  ...CASH_MANAGEMENT_ERROR_CODES,
  'cashInActive',
  'noCashInActive',
  'tooManyItems',
] as const;
export type CashAcceptorErrorCode = (typeof CASH_ACCEPTOR_ERROR_CODES)[number];

/**
 * XFS4IoT note levels. unrecognized (L1) is returned; counterfeit (L2) and
 * suspect (L3) are retained when the device is set to, suspect notes being
 * credited only after investigation; fit and unfit (L4) are credited, unfit
 * notes are never recycled. inked = stained by an anti-theft (IBNS) cassette.
 */
export const NOTE_CLASSIFICATIONS = ['unrecognized', 'counterfeit', 'suspect', 'fit', 'unfit', 'inked'] as const;
export type NoteClassification = (typeof NOTE_CLASSIFICATIONS)[number];

/** A note as the validator saw it; an unrecognized note has currency `''` and value 0. */
export interface ClassifiedNote extends Banknote {
  readonly classification: NoteClassification;
}

/** Why notes came back to the customer (XFS4IoT InputRefuseEvent). */
export const INPUT_REFUSE_REASONS = [
  'invalidBill',
  'counterfeit',
  'invalidBunch',
  'stackerFull',
  'cashInUnitFull',
  'limitOverAmount',
  'limitOverTotalItems',
  'foreignItemsDetected',
] as const;
export type InputRefuseReason = (typeof INPUT_REFUSE_REASONS)[number];

/** A note type the validator knows, e.g. `typeCNY10000`. */
export interface BanknoteType {
  readonly id: string;
  readonly item: CashItem;
  /** Disabled types are refused like unrecognized notes (`invalidBill`). */
  readonly enabled: boolean;
}

export interface CashInStartRequest {
  /** Default true: fit notes go to recycle units on cashInEnd; false: all to cash-in units. */
  readonly useRecycleUnits?: boolean;
  /** Default `inDefault`. */
  readonly inputPosition?: InputPosition;
  /** Where refused and rolled-back notes come out; default `outDefault`. */
  readonly outputPosition?: OutputPosition;
  /** Most notes the escrow may take in this transaction; 0 or absent = the escrow's capacity. */
  readonly totalItemsLimit?: number;
  /** Most value (credited notes) in this transaction; absent = no limit. */
  readonly amountLimit?: Money;
}

/** What one cashIn call accepted into escrow, and how many notes it handed back. */
export interface CashInResult {
  readonly items: readonly ClassifiedNote[];
  readonly refused: number;
}

/** Notes of one kind and level (XFS4IoT noteNumberList entry). */
export interface NoteCount extends CashItem {
  readonly classification: NoteClassification;
  readonly count: number;
}

/**
 * How the last cash-in ended: `active` (in progress), `ok` (cashInEnd),
 * `rollback`, `retract`, `reset`, or `unknown` (none yet, or after power loss).
 */
export type CashInState = 'ok' | 'rollback' | 'active' | 'retract' | 'unknown' | 'reset';

export interface CashInStatus {
  readonly status: CashInState;
  /** Notes handed back in the transaction. */
  readonly numOfRefused: number;
  /** What the escrow took in the transaction; the running total for the screen. */
  readonly noteNumberList: readonly NoteCount[];
}

/** A note stored by cashInEnd or retained by cashInRollback. */
export interface StoredNote extends ClassifiedNote {
  readonly unitId: string;
}

export interface CashInEndResult {
  /** Per currency: fit and unfit notes. Suspect notes are credited only after investigation. */
  readonly credited: readonly Money[];
  /** Notes per receiving unit. */
  readonly stored: UnitCounts;
  readonly notes: readonly StoredNote[];
}

export interface CashInRollbackResult {
  /** Handed back at the output position, serials and all. */
  readonly returned: readonly ClassifiedNote[];
  /** Kept by the device (counterfeit/suspect/inked as `retainAction` says). */
  readonly retained: readonly StoredNote[];
}

export interface ConfigureNoteTypesRequest {
  /** Note type id → enabled; unknown ids fail with invalidData and change nothing. */
  readonly items: Readonly<Record<string, boolean>>;
}

export interface CashAcceptorCapabilities {
  /** Escrow capacity in notes. */
  readonly maxCashInItems: number;
  readonly shutterControl: boolean;
  readonly retractAreas: readonly RetractArea[];
  readonly inputPositions: readonly InputPosition[];
  readonly outputPositions: readonly OutputPosition[];
  /** Levels the device keeps instead of returning them (on cashIn and on rollback). */
  readonly retainAction: { readonly counterfeit: boolean; readonly suspect: boolean; readonly inked: boolean };
}

export interface CashAcceptorStatus extends CommonStatus {
  /** `stop` when no unit can take deposits or the validator is down. */
  readonly acceptor: CashModuleState;
  /** The escrow (XFS4IoT intermediateStacker of the acceptor). */
  readonly escrow: 'empty' | 'notEmpty' | 'full' | 'unknown' | 'notSupported';
  readonly banknoteReader: 'ok' | 'inoperative' | 'unknown' | 'notSupported';
  readonly positions: readonly CashPositionStatus[];
  /**
   * Notes of unknown origin in the output position (XFS4IoT's term): found when the device
   * (re)started — handed back or paid before a power cut or a crash and not taken, or an escrow
   * the device gave back on restart — until they are taken or retracted. The position is then
   * `notEmpty` and `itemsPresented` was emitted. `amounts` per currency when the device tells
   * their value, else empty. Absent while there are none.
   */
  readonly unknownAtOutput?: { readonly amounts: readonly Money[] };
}

export interface CashAcceptorEventMap extends CashManagementEventMap {
  /** Solicited: the input shutter is open; ask the customer to insert notes. */
  insertItems: { readonly position: InputPosition };
  /** Unsolicited: the customer put notes in the input position. */
  itemsInserted: { readonly position: InputPosition };
  /** Solicited: `count` notes are coming back for `reason`. */
  inputRefuse: { readonly reason: InputRefuseReason; readonly count: number };
  /** Solicited: one sub-bunch of a multi-bunch cashIn was processed. */
  subCashIn: { readonly items: readonly ClassifiedNote[] };
}

export interface CashAcceptorEvents extends CommonDeviceEvents<CashAcceptorStatus>, CashAcceptorEventMap {}

/** The CashAcceptor commands, apart from the device base, so that a recycler can combine them. */
export interface CashAcceptorCommands {
  getBankNoteTypes: DeviceCommand<void, readonly BanknoteType[], CashAcceptorErrorCode>;
  /** Enables/disables note types. Fails with cashInActive or exchangeActive. */
  configureNoteTypes: DeviceCommand<ConfigureNoteTypesRequest, void, CashAcceptorErrorCode>;
  /** Opens a transaction with limits. Fails with cashInActive, exchangeActive, unsupportedPosition. */
  cashInStart: DeviceCommand<CashInStartRequest, void, CashAcceptorErrorCode>;
  /**
   * Opens the input, waits for notes (insertItems; cancel through the signal),
   * validates them into escrow and hands refused ones back. Fails with
   * noCashInActive, tooManyItems (escrow already full), positionNotEmpty
   * (refused notes not yet taken), shutterNotOpen.
   */
  cashIn: DeviceCommand<void, CashInResult, CashAcceptorErrorCode>;
  /**
   * Commits the escrow: fit notes to recycle units of their kind (when allowed
   * and there is room), the rest to cash-in units, retained levels to a retract
   * or cash-in unit. Fails with noCashInActive, noItems, positionNotEmpty, or
   * cashUnitError when some note has nowhere to go (then nothing moves).
   */
  cashInEnd: DeviceCommand<void, CashInEndResult, CashAcceptorErrorCode>;
  /** Returns the escrow to the customer, keeping retained levels. Fails like cashInEnd. */
  cashInRollback: DeviceCommand<void, CashInRollbackResult, CashAcceptorErrorCode>;
  getCashInStatus: DeviceCommand<void, CashInStatus, CashAcceptorErrorCode>;
}

export interface CashAcceptorDevice
  extends Device<CashAcceptorStatus, CashAcceptorEvents>,
    CashAcceptorCommands,
    CashManagementCommands {
  readonly deviceClass: 'cashAcceptor';
  getCapabilities(): CashAcceptorCapabilities;
}

// ---------------------------------------------------------------------------
// Recycler: one service, both command sets (xfs4iot.md §1: no compound devices)
// ---------------------------------------------------------------------------

export interface RecyclerStatus extends CashDispenserStatus, CashAcceptorStatus {}

export interface RecyclerCapabilities extends CashDispenserCapabilities, CashAcceptorCapabilities {}

export interface RecyclerEvents extends CommonDeviceEvents<RecyclerStatus>, CashDispenserEventMap, CashAcceptorEventMap {}

/**
 * A cash recycler: one device with the acceptor's and the dispenser's commands
 * over one status and one event stream; pay-out draws on `recycle` units as
 * well as `cashOut` ones. It registers as `cashAcceptor` because DEVICE_CLASSES
 * has no recycler entry; code that pays out should accept
 * `CashDispenserCommands`, which a recycler satisfies.
 */
export interface RecyclerDevice
  extends Device<RecyclerStatus, RecyclerEvents>,
    CashDispenserCommands,
    CashAcceptorCommands,
    CashManagementCommands {
  readonly deviceClass: 'cashAcceptor';
  getCapabilities(): RecyclerCapabilities;
}
