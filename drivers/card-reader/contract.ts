import type { DeviceCommand } from '../common/completion.js';
import type { CommonDeviceEvents, Device } from '../common/device.js';
import type { CommonStatus } from '../common/status.js';

/**
 * Motorised card reader (magnetic stripe + contact chip), after XFS4IoT
 * CardReader: ReadRawData, Move, Reset, ChipPower, ChipIO, MediaRemoved.
 *
 * Track data and chip responses are cardholder data. They travel only from the
 * driver to the runtime's transaction layer: they are never logged, journaled,
 * put in a status, an event or an error description, nor sent to the renderer.
 * Events below therefore carry no card data.
 *
 * The spec has no automatic capture: when the customer leaves a card at the
 * gate, the application's timer moves it to `retain` (§4.4).
 */

/** CardReader errorCode values (XFS4IoT CardReader), used with `commandErrorCode`. */
export const CARD_READER_ERROR_CODES = [
  'mediaJam',
  'shutterFail',
  'noMedia',
  'invalidMedia',
  'cardTooShort',
  'cardTooLong',
  'securityFail',
  'cardCollision',
  'occupied',
  'full',
  'mediaRetained',
  'retainBinFull',
  'invalidData',
  'atrNotObtained',
  'protocolNotSupported',
  'chipPowerNotSupported',
] as const;
export type CardReaderErrorCode = (typeof CARD_READER_ERROR_CODES)[number];

/**
 * Where the card is: `entering` = at the gate (inserting or ejected, not yet
 * taken), `present` = inside the reader, `latched` = held by a dip reader's latch.
 */
export type CardMediaState = 'present' | 'notPresent' | 'jammed' | 'entering' | 'latched' | 'unknown';

/** XFS4IoT chipPower status: `online` = powered with a valid ATR. */
export type ChipPowerState =
  | 'online'
  | 'poweredOff'
  | 'busy'
  | 'noCard'
  | 'noDevice'
  | 'hardwareError'
  | 'notSupported'
  | 'unknown';

/** `high` from `threshold` retained cards, `full` at `capacity` (no further retain possible). */
export type BinState = 'ok' | 'high' | 'full';

/** A bin that collects cards (retain bin, dispenser reject bin); counts are cards. */
export interface CardBinStatus {
  readonly count: number;
  /** Count at which the bin reports `high` so that it is emptied in time. */
  readonly threshold: number;
  readonly capacity: number;
  readonly state: BinState;
}

export interface CardReaderStatus extends CommonStatus {
  readonly media: CardMediaState;
  readonly chipPower: ChipPowerState;
  /** A `full` bin means the next card cannot be retained: take the reader out of service. */
  readonly retainBin: CardBinStatus;
}

export interface CardReaderCapabilities {
  readonly type: 'motor' | 'swipe' | 'dip' | 'latchedDip' | 'contactless' | 'permanent';
  readonly tracks: readonly (1 | 2 | 3)[];
  readonly chip: boolean;
  /** A sensor that reports the card taken at the gate (`mediaRemoved`). */
  readonly cardTakenSensor: boolean;
}

/** What to read; every source defaults to false. The wait for a card ends only by the AbortSignal. */
export interface ReadRawDataRequest {
  readonly track1?: boolean;
  readonly track2?: boolean;
  readonly track3?: boolean;
  /** Powers the chip (cold reset) and returns its ATR. */
  readonly chip?: boolean;
}

/** Per-source read status, XFS4IoT's `trackN.status`; `ok` when the data is usable. */
export type DataSourceStatus =
  | 'ok'
  | 'dataMissing'
  | 'dataInvalid'
  | 'dataTooLong'
  | 'dataTooShort'
  | 'dataSourceNotSupported';

export interface DataSource {
  readonly status: DataSourceStatus;
  /** Raw bytes as read (track characters without sentinels; for the chip the ATR). Empty unless `ok`. */
  readonly data: Uint8Array;
}

/** Only the requested sources are present. Sensitive: see the file header. */
export interface ReadRawDataResult {
  readonly track1?: DataSource;
  readonly track2?: DataSource;
  readonly track3?: DataSource;
  readonly chip?: DataSource;
}

/** `exit` = the gate, `transport` = inside the reader, `retain` = the retain bin. */
export type CardPosition = 'exit' | 'transport' | 'retain';

export interface MoveCardRequest {
  /** Where the card must be now; omitted = wherever it is. */
  readonly from?: Exclude<CardPosition, 'retain'>;
  readonly to: CardPosition;
}

export interface ResetCardReaderRequest {
  /** What to do with a card found in the reader; with no card the reset just re-initialises. */
  readonly to: 'exit' | 'retain' | 'currentPosition';
}

export interface ChipPowerRequest {
  readonly action: 'cold' | 'warm' | 'off';
}

export interface ChipPowerResult {
  /** The answer to reset; absent after `off`. */
  readonly atr?: Uint8Array;
}

export interface ChipIORequest {
  /** Omitted = the protocol negotiated from the ATR. */
  readonly protocol?: 'chipT0' | 'chipT1';
  /** One command APDU. */
  readonly data: Uint8Array;
}

export interface ChipIOResult {
  /** The response APDU: data followed by SW1 SW2. Sensitive: see the file header. */
  readonly data: Uint8Array;
}

export interface CardReaderEvents extends CommonDeviceEvents<CardReaderStatus> {
  /** Solicited (ReadRawData): the reader is ready; prompt the customer to insert a card. */
  insertCard: undefined;
  /** Solicited (ReadRawData): a card entered the reader. */
  mediaInserted: undefined;
  /** Solicited (ReadRawData): the inserted card was unreadable and was returned to the gate. */
  invalidMedia: undefined;
  /** Solicited (Move/Reset to retain): a card went into the retain bin. */
  mediaRetained: { readonly retainCount: number };
  /** Unsolicited: the customer took the card at the gate (needs `cardTakenSensor`). */
  mediaRemoved: undefined;
  /** Unsolicited: the device moved a card by itself (e.g. firmware capture at the gate). */
  cardAction: { readonly from: CardPosition | 'unknown'; readonly to: CardPosition };
}

export interface CardReaderDevice extends Device<CardReaderStatus, CardReaderEvents> {
  readonly deviceClass: 'cardReader';
  getCapabilities(): CardReaderCapabilities;
  /**
   * Waits for a card (emitting insertCard, then mediaInserted) and reads it; a card
   * already inside is read at once. Fails with invalidMedia / cardTooShort / cardTooLong
   * (card returned to the gate), mediaJam, shutterFail, securityFail, cardCollision;
   * `canceled` when the signal aborts while waiting.
   */
  readRawData: DeviceCommand<ReadRawDataRequest, ReadRawDataResult, CardReaderErrorCode>;
  /**
   * Moves the card. Fails with noMedia (no card at `from`), full (retain bin full),
   * occupied, mediaJam, shutterFail, or mediaRetained when the device captured it instead.
   * Moving to where the card already is succeeds.
   */
  move: DeviceCommand<MoveCardRequest, void, CardReaderErrorCode>;
  /**
   * The technician emptied the retain bin: its count goes back to 0 (XFS 3
   * WFS_CMD_IDC_RESET_COUNT). Present on readers whose count the driver keeps.
   */
  resetCount?: DeviceCommand<void, CardBinStatus, CardReaderErrorCode>;
  /** Re-initialises the mechanism and powers the chip off. Fails with mediaJam, shutterFail, retainBinFull. */
  reset: DeviceCommand<ResetCardReaderRequest, void, CardReaderErrorCode>;
  /** Fails with noMedia, invalidMedia, atrNotObtained, chipPowerNotSupported. */
  chipPower: DeviceCommand<ChipPowerRequest, ChipPowerResult, CardReaderErrorCode>;
  /**
   * Exchanges one APDU with the powered chip; `sequenceError` when the chip is not powered.
   * Fails with noMedia, invalidData, protocolNotSupported, cardCollision.
   */
  chipIO: DeviceCommand<ChipIORequest, ChipIOResult, CardReaderErrorCode>;
}
