import type { CardBinStatus } from '../card-reader/contract.js';
import type { DeviceCommand } from '../common/completion.js';
import type { CommonDeviceEvents, Device } from '../common/device.js';
import type { CommonStatus } from '../common/status.js';

/**
 * Instant card issuance (e.g. TTCE K720, Creator CRT-591): a hopper of blank
 * cards, a transport with a read/write position where a chip/RF coupler
 * personalises the card, the exit (mouth), and a reject bin. XFS4IoT models
 * this as a CardReader with dispense and retain units; the kiosk keeps it a
 * class of its own because it never takes a customer's card.
 *
 * Personalisation at the read/write position goes through the coupler's own
 * device (a CardReaderDevice chipIO), not through this contract.
 */

/** Card dispenser errorCode values, used with `commandErrorCode`. */
export const CARD_DISPENSER_ERROR_CODES = [
  /** A card is stuck in the transport. */
  'mediaJam',
  /** The hopper has no card to dispense. */
  'hopperEmpty',
  /** Two cards were picked at once (K720 "overlap"); both went to the reject bin when possible. */
  'cardCollision',
  /** The reject bin cannot take another card. */
  'rejectBinFull',
  /** No card where the command needs one. */
  'noMedia',
  /** A card already occupies the transport or the exit. */
  'occupied',
] as const;
export type CardDispenserErrorCode = (typeof CARD_DISPENSER_ERROR_CODES)[number];

/** Where the issued card is: `readWrite` = inside at the coupler, `exit` = held at the mouth. */
export type IssuedCardPosition = 'notPresent' | 'readWrite' | 'exit' | 'jammed' | 'unknown';

/** From the hopper's sensors: `low` is the pre-empty sensor; there is no exact count on the device. */
export type HopperState = 'ok' | 'low' | 'empty' | 'unknown';

export interface CardDispenserStatus extends CommonStatus {
  readonly media: IssuedCardPosition;
  readonly hopper: HopperState;
  /** Counted by the driver (the devices have no bin-full sensor); `full` stops issuance. */
  readonly rejectBin: CardBinStatus;
}

export interface DispenseCardRequest {
  /** `readWrite` for cards to be personalised first, `exit` to present a ready card. */
  readonly to: 'readWrite' | 'exit';
}

export interface CardDispenserEvents extends CommonDeviceEvents<CardDispenserStatus> {
  /** Solicited (dispense/move to exit): the card is held at the exit. */
  mediaPresented: { readonly position: 'exit' };
  /** Unsolicited: the customer took the card from the exit. */
  mediaTaken: { readonly position: 'exit' };
  /** Solicited (retain): the card went into the reject bin. */
  mediaRetained: { readonly rejectCount: number };
  /** Unsolicited: the hopper crossed its pre-empty or empty sensor. */
  hopperThreshold: { readonly hopper: HopperState };
}

export interface CardDispenserDevice extends Device<CardDispenserStatus, CardDispenserEvents> {
  readonly deviceClass: 'cardDispenser';
  /**
   * Picks one card from the hopper. Fails with hopperEmpty, occupied (a card is
   * already in the transport or at the exit), cardCollision, mediaJam.
   */
  dispense: DeviceCommand<DispenseCardRequest, void, CardDispenserErrorCode>;
  /**
   * Moves the issued card between the read/write position and the exit (e.g.
   * retake an untaken card for retention). Fails with noMedia, mediaJam.
   */
  move: DeviceCommand<{ readonly to: 'readWrite' | 'exit' }, void, CardDispenserErrorCode>;
  /** Captures the card (transport or exit) into the reject bin. Fails with noMedia, rejectBinFull, mediaJam. */
  retain: DeviceCommand<void, void, CardDispenserErrorCode>;
  /** Re-initialises the mechanism; a card in the transport goes to the reject bin. Fails with mediaJam, rejectBinFull. */
  reset: DeviceCommand<void, void, CardDispenserErrorCode>;
}
