import type { DeviceCommand } from '../common/completion.js';
import type { CommonDeviceEvents, Device } from '../common/device.js';
import type { CommonStatus } from '../common/status.js';
import type { Banknote, Money } from '../storage/contract.js';

/**
 * Cash dispenser, after XFS4IoT CashDispenser plus the CashManagement subset
 * that cash-out needs (retract, shutters, reset, items presented/taken).
 * The CashManagement part is shared with the cash acceptor, so that a recycler
 * exposes one of each. Money is integer minor units plus an ISO 4217 code.
 *
 * Cash-out (xfs4iot.md §4.5): [getCommandNonce] → denominate → dispense (notes
 * in the stacker) → present (itemsPresented) → itemsTaken; not taken in time →
 * retract; canceled between dispense and present → reject. After a power cut,
 * getLastTransaction tells exactly what left which unit and where it went.
 */

// ---------------------------------------------------------------------------
// CashManagement (shared with the cash acceptor)
// ---------------------------------------------------------------------------

/** CashManagement errorCode values, used with `commandErrorCode`. */
export const CASH_MANAGEMENT_ERROR_CODES = [
  'cashUnitError',
  'exchangeActive',
  'unsupportedPosition',
  'safeDoorOpen',
  'shutterNotOpen',
  'shutterNotClosed',
  'shutterOpen',
  'noItems',
  'itemsTaken',
  'invalidRetractPosition',
  'notRetractArea',
  'foreignItemsDetected',
  'positionNotEmpty',
  'incompleteRetract',
] as const;
export type CashManagementErrorCode = (typeof CASH_MANAGEMENT_ERROR_CODES)[number];

export const OUTPUT_POSITIONS = [
  'outDefault',
  'outLeft',
  'outRight',
  'outCenter',
  'outTop',
  'outBottom',
  'outFront',
  'outRear',
] as const;
export type OutputPosition = (typeof OUTPUT_POSITIONS)[number];

export const INPUT_POSITIONS = [
  'inDefault',
  'inLeft',
  'inRight',
  'inCenter',
  'inTop',
  'inBottom',
  'inFront',
  'inRear',
] as const;
export type InputPosition = (typeof INPUT_POSITIONS)[number];

export type CashPosition = InputPosition | OutputPosition;

export type ShutterState = 'closed' | 'open' | 'jammed' | 'unknown' | 'notSupported';

/** One customer-facing slot (XFS4IoT `positions` entry). */
export interface CashPositionStatus {
  readonly position: CashPosition;
  readonly shutter: ShutterState;
  /** Whether items lie in the slot (reachable by the customer while the shutter is open). */
  readonly positionStatus: 'empty' | 'notEmpty' | 'unknown' | 'notSupported';
  readonly transport: 'ok' | 'inoperative' | 'unknown' | 'notSupported';
  /** `notEmpty` after a retract to the transport; cleared by reset. */
  readonly transportStatus: 'empty' | 'notEmpty' | 'notEmptyCustomer' | 'unknown' | 'notSupported';
}

/** Cash module state: `attention` = degraded (a unit low or a bin nearly full), `stop` = cannot serve. */
export type CashModuleState = 'ok' | 'attention' | 'stop' | 'unknown';

/**
 * Where retracted items go: `retract` (a retract unit), `reject` (the reject
 * unit), `transport` (held in the transport until reset) or `stacker` (back to
 * the intermediate stacker, to present or reject again).
 */
export const RETRACT_AREAS = ['retract', 'reject', 'transport', 'stacker'] as const;
export type RetractArea = (typeof RETRACT_AREAS)[number];

export interface RetractRequest {
  /** Default `outDefault`. Fails with invalidRetractPosition for a position the device lacks. */
  readonly position?: CashPosition;
  /** Must be in the capabilities' `retractAreas`, else notRetractArea. */
  readonly retractArea: RetractArea;
  /** For `retract`: the retract unit's id; default the first one with room. */
  readonly unitId?: string;
}

/** Items moved by retract, reject or reset, with serial numbers where known. */
export interface ItemsMoved {
  readonly count: number;
  /** The receiving unit; absent when they went to the stacker or transport. */
  readonly unitId?: string;
  readonly notes: readonly Banknote[];
}

export interface PositionRequest {
  /** Default `outDefault` (or `inDefault` for acceptor input commands). */
  readonly position?: CashPosition;
}

export interface ResetRequest extends PositionRequest {
  /** Where items found in the stacker, transport or slot go; default `reject`. */
  readonly retractArea?: 'retract' | 'reject';
  readonly unitId?: string;
}

/** Per-note problems during a dispense or count (XFS4IoT NoteErrorEvent). */
export type NoteErrorReason =
  | 'doubleNote'
  | 'longNote'
  | 'skewedNote'
  | 'incorrectCount'
  | 'notesTooClose'
  | 'otherNoteError'
  | 'shortNote';

/** CashManagement events; the acceptor adds its own. */
export interface CashManagementEventMap {
  /** Items are in the slot and the customer can reach them. */
  itemsPresented: { readonly position: CashPosition; readonly additionalBunches: number };
  /** Unsolicited: the customer took the items; start no retract timer after this. */
  itemsTaken: { readonly position: CashPosition; readonly additionalBunches: number };
  /** Unsolicited: a shutter moved (commanded or by the service itself). */
  shutterStatusChanged: { readonly position: CashPosition; readonly shutter: ShutterState };
  /** Solicited: a note was diverted to the reject unit; the dispense goes on if it can. */
  noteError: { readonly reason: NoteErrorReason };
}

/** CashManagement commands every cash device has. */
export interface CashManagementCommands {
  /**
   * Pulls items back from a slot (customer did not take them). Fails with noItems,
   * itemsTaken (the customer grabbed them during the retract), notRetractArea,
   * invalidRetractPosition, or cashUnitError (unit full or `maxRetracts` reached).
   * Counts: the receiving unit's `in.retracted` and `in.retractOperations`.
   */
  retract: DeviceCommand<RetractRequest, ItemsMoved, CashManagementErrorCode>;
  /** Only when `shutterControl` is false. Fails with shutterNotOpen (jammed) or unsupportedPosition. */
  openShutter: DeviceCommand<PositionRequest, void, CashManagementErrorCode>;
  /** Only when `shutterControl` is false. Fails with shutterNotClosed or foreignItemsDetected. */
  closeShutter: DeviceCommand<PositionRequest, void, CashManagementErrorCode>;
  /**
   * Recovers the module: items in the stacker, transport or slot go to the
   * reject (default) or a retract unit, shutters close, a cash-in transaction ends.
   */
  reset: DeviceCommand<ResetRequest, ItemsMoved, CashManagementErrorCode>;
}

// ---------------------------------------------------------------------------
// CashDispenser
// ---------------------------------------------------------------------------

/** CashDispenser errorCode values (includes the CashManagement ones). */
export const CASH_DISPENSER_ERROR_CODES = [
  ...CASH_MANAGEMENT_ERROR_CODES,
  'invalidCurrency',
  'invalidDenomination',
  'invalidMixNumber',
  'noCurrencyMix',
  'notDispensable',
  'tooManyItems',
  'amountNotInMixTable',
  'itemsLeft',
  'presentErrorNoItems',
  'presentErrorItems',
  'presentErrorUnknown',
] as const;
export type CashDispenserErrorCode = (typeof CASH_DISPENSER_ERROR_CODES)[number];

/** Mix algorithms; `maxCashUnits` exists in XFS4IoT but this firmware does not offer it. */
export type MixAlgorithm = 'minimumBills' | 'equalEmptying' | 'maxCashUnits';

export interface MixType {
  /** The `mixNumber` to pass to denominate/dispense. */
  readonly mixNumber: number;
  readonly algorithm: MixAlgorithm;
  readonly name: string;
}

/** Notes per cash unit id. */
export type UnitCounts = Readonly<Record<string, number>>;

/**
 * What to pay out: an amount split by one of the service's mixes, or the
 * application's own counts per unit (then `amount`, if given, must match them,
 * else invalidDenomination).
 */
export type DenominateRequest =
  | { readonly amount: Money; readonly mixNumber: number }
  | { readonly counts: UnitCounts; readonly amount?: Money };

export interface Denomination {
  readonly amount: Money;
  readonly counts: UnitCounts;
}

export interface DispenseRequest {
  readonly denomination: DenominateRequest;
  /** Default `outDefault`; the notes go to the stacker, `position` is where present will put them. */
  readonly position?: OutputPosition;
  /**
   * End-to-end token signed by the host (xfs4iot.md §5), required when the
   * status says `endToEndSecurity: 'enforced'`:
   * `NONCE=<hex>,TOKENFORMAT=1,TOKENLENGTH=<4 digits>,DISPENSE1=<d.dd><CUR>,HMACSHA256=<64 hex>`.
   * Errors: noCommandNonce, invalidTokenFormat, invalidTokenNonce, invalidTokenHMAC,
   * invalidToken (overdraw of the cumulative amount, another token on the same nonce).
   */
  readonly token?: string;
}

/** A note that left a cash unit, with its serial number where the reader got one. */
export interface DispensedNote extends Banknote {
  readonly unitId: string;
}

export interface DispenseResult {
  /** What is now in the stacker. */
  readonly denomination: Denomination;
  readonly notes: readonly DispensedNote[];
  /** Notes picked but diverted to the reject unit, per source unit. */
  readonly rejected: UnitCounts;
  /** Presents needed to hand everything out; 1 unless the slot is smaller than the stack. */
  readonly bunches: number;
}

export interface PresentResult {
  readonly position: OutputPosition;
  readonly numberOfItems: number;
  /** Bunches still waiting in the stacker after this one. */
  readonly additionalBunches: number;
}

export interface PresentStatusRequest {
  readonly position?: OutputPosition;
  /** The host's nonce (hex); when given, the result carries a token signed with the device key. */
  readonly nonce?: string;
}

export type PresentState = 'presented' | 'notPresented' | 'unknown';

/** About the last dispense to a position (XFS4IoT GetPresentStatus). */
export interface PresentStatus {
  readonly denomination: Denomination;
  readonly presentState: PresentState;
  /** Amount put within the customer's reach. */
  readonly presented: Money;
  readonly retracted: boolean;
  /**
   * `NONCE=<nonce>,TOKENFORMAT=1,TOKENLENGTH=<4>,DISPENSEID=<id>,DISPENSED1=<amt>,
   * PRESENTED1=YES|NO,PRESENTEDAMOUNT1=<amt>,RETRACTED1=YES|NO,HMACSHA256=<64 hex>`,
   * keyed with the device key. Only when a nonce was given; without a device key
   * the command fails with invalidTokenKeyNoValue.
   */
  readonly token?: string;
}

/** Where the notes of the last dispense went; `dispensing` = it stopped while picking. */
export type DispenseOutcome = 'dispensing' | 'stacked' | 'presented' | 'taken' | 'retracted' | 'rejected';

/**
 * The persistent record of the last dispense, kept by the device across power
 * cuts so that the application can settle a transaction whose completion it
 * never received.
 */
export interface LastDispenseTransaction {
  /** Increases with every dispense, across power cycles. */
  readonly dispenseId: number;
  readonly requested: Money;
  readonly outcome: DispenseOutcome;
  /** The dispense stopped early (pick failure, jam, power cut); `notes` is what got out. */
  readonly interrupted: boolean;
  /** Notes that left each unit, including the rejected ones. */
  readonly picked: UnitCounts;
  /** Notes diverted to the reject unit, per source unit. */
  readonly rejected: UnitCounts;
  /** Notes that reached the stacker, with serials. */
  readonly notes: readonly DispensedNote[];
  /** The amount of `notes`. */
  readonly dispensed: Money;
  /** Amount put within the customer's reach (0 if never presented). */
  readonly presented: Money;
  /** Notes retracted after presentation. */
  readonly retracted: number;
  /** The HMAC of the token that authorised it, if any. */
  readonly tokenId?: string;
  /** Wall time (epoch ms) of the start and of the last change. */
  readonly startedAt: number;
  readonly updatedAt: number;
}

export interface EndToEndCapabilities {
  /** Dispense refuses to run without a valid token. */
  readonly required: boolean;
  /** ms after which an unused command nonce is cleared; 0 = never. */
  readonly commandNonceTimeout: number;
}

export interface CashDispenserCapabilities {
  /** Most notes one dispense may pick; more gives tooManyItems. */
  readonly maxDispenseItems: number;
  /** true: present/retract drive the shutter; false: the application calls open/closeShutter. */
  readonly shutterControl: boolean;
  readonly retractAreas: readonly RetractArea[];
  readonly outputPositions: readonly OutputPosition[];
  readonly endToEndSecurity: EndToEndCapabilities;
}

export type IntermediateStackerState =
  | 'empty'
  | 'notEmpty'
  | 'notEmptyCustomer'
  | 'notEmptyUnknown'
  | 'unknown'
  | 'notSupported';

export interface CashDispenserStatus extends CommonStatus {
  /** `stop` when no unit can pay out or the reject unit cannot take more. */
  readonly dispenser: CashModuleState;
  /** `notEmpty` after dispense until present or reject; `notEmptyUnknown` after a power cut. */
  readonly intermediateStacker: IntermediateStackerState;
  readonly positions: readonly CashPositionStatus[];
  /** How dispense treats tokens (XFS4IoT Common.Status endToEndSecurity). */
  readonly endToEndSecurity: 'notSupported' | 'notEnforced' | 'notConfigured' | 'enforced';
}

/** Why a command nonce went away (Common.NonceClearedEvent). */
export type NonceClearReason = 'cleared' | 'timeout' | 'powerLoss' | 'replaced';

export interface CashDispenserEventMap extends CashManagementEventMap {
  /** Solicited: picking has started; a cancel can no longer stop the dispense. */
  startDispense: { readonly amount: Money };
  /** Solicited: the dispense stopped early; this is what reached the stacker. */
  incompleteDispense: { readonly denomination: Denomination };
  /** Unsolicited: the command nonce was cleared; tokens built on it are dead. */
  nonceCleared: { readonly reason: NonceClearReason };
}

export interface CashDispenserEvents extends CommonDeviceEvents<CashDispenserStatus>, CashDispenserEventMap {}

/** The CashDispenser commands, apart from the device base, so that a recycler can combine them. */
export interface CashDispenserCommands {
  /** The mixes denominate and dispense accept. */
  getMixTypes: DeviceCommand<void, readonly MixType[], CashDispenserErrorCode>;
  /**
   * Splits an amount over the units without moving anything. Fails with
   * invalidCurrency, invalidMixNumber, noCurrencyMix, invalidDenomination,
   * notDispensable, tooManyItems, exchangeActive, cashUnitError.
   */
  denominate: DeviceCommand<DenominateRequest, Denomination, CashDispenserErrorCode>;
  /**
   * Picks notes into the intermediate stacker (never straight to the customer).
   * Fails with the denominate errors, itemsLeft (stacker or slot not empty),
   * shutterOpen, unsupportedPosition, or a token completion code. When it stops
   * early (cashUnitError, hardwareError) the failure payload says what is in the
   * stacker, and incompleteDispense is emitted.
   */
  dispense: DeviceCommand<DispenseRequest, DispenseResult, CashDispenserErrorCode, DispenseResult>;
  /**
   * Moves the stacker's notes to the slot and opens the shutter (with
   * `shutterControl`), then emits itemsPresented. Fails with noItems,
   * shutterNotOpen (jammed or, without shutterControl, not opened), exchangeActive.
   */
  present: DeviceCommand<PositionRequest, PresentResult, CashDispenserErrorCode>;
  /** Moves the stacker's notes to the reject unit. Fails with noItems or cashUnitError. */
  reject: DeviceCommand<void, ItemsMoved, CashDispenserErrorCode>;
  getPresentStatus: DeviceCommand<PresentStatusRequest, PresentStatus, CashDispenserErrorCode>;
  /** Common.GetCommandNonce: a fresh nonce (upper-case hex) that replaces any earlier one. */
  getCommandNonce: DeviceCommand<void, { readonly commandNonce: string }, CashDispenserErrorCode>;
  /** Common.ClearCommandNonce: ends the token's life; emits nonceCleared. */
  clearCommandNonce: DeviceCommand<void, void, CashDispenserErrorCode>;
  /** The last dispense as persisted by the device; undefined when there never was one. */
  getLastTransaction: DeviceCommand<void, LastDispenseTransaction | undefined, CashDispenserErrorCode>;
}

export interface CashDispenserDevice
  extends Device<CashDispenserStatus, CashDispenserEvents>,
    CashDispenserCommands,
    CashManagementCommands {
  readonly deviceClass: 'cashDispenser';
  getCapabilities(): CashDispenserCapabilities;
}
