import type { DeviceCommand } from '../common/completion.js';
import type { CommonDeviceEvents, Device } from '../common/device.js';
import type { CommonStatus } from '../common/status.js';

/**
 * Resident identity card reader (China second-generation ID card, GA 467 SAM
 * module): the customer lays the card on the contactless pad; the SAM decrypts
 * the identity text and the photo.
 *
 * The identity is personal data: like card track data it goes only to the
 * runtime's transaction layer, and is never logged, journaled or put in a
 * status, an event or an error description.
 */

/** ID card reader errorCode values, used with `commandErrorCode`. */
export const ID_CARD_READER_ERROR_CODES = [
  /** The card left the field before it was read. */
  'noCard',
  /** The card answered but its data could not be read or verified. */
  'readFailed',
  /** The security module (SAM) failed; no card can be read until it recovers. */
  'samError',
] as const;
export type IdCardReaderErrorCode = (typeof ID_CARD_READER_ERROR_CODES)[number];

export interface IdCardReaderStatus extends CommonStatus {
  /** `present` while a card lies in the field. */
  readonly media: 'present' | 'notPresent' | 'unknown';
  readonly sam: 'ok' | 'error' | 'unknown';
}

/** The identity as stored on the card (GA 467 text block plus photo). Dates are `YYYY-MM-DD`. */
export interface ResidentIdentity {
  readonly name: string;
  readonly sex: 'male' | 'female' | 'unknown' | 'unspecified';
  /** Ethnic group code, two digits (GB 3304), e.g. "01". */
  readonly nationCode: string;
  readonly birthDate: string;
  readonly address: string;
  /** 18 characters, the last may be "X". */
  readonly idNumber: string;
  readonly issuingAuthority: string;
  readonly validFrom: string;
  /** A date, or `longTerm` for cards valid without end (长期). */
  readonly validUntil: string | 'longTerm';
  /** The photo as delivered by the SAM (1024-byte WLT); decoding needs the licensed decoder. */
  readonly photo: Uint8Array;
}

export interface IdCardReaderEvents extends CommonDeviceEvents<IdCardReaderStatus> {
  /** Solicited (readCard): the reader is polling; prompt the customer to place the card. */
  insertCard: undefined;
  /** Solicited (readCard): a card was found in the field. */
  mediaInserted: undefined;
  /** Unsolicited: the card was lifted off the pad. */
  mediaRemoved: undefined;
}

export interface IdCardReaderDevice extends Device<IdCardReaderStatus, IdCardReaderEvents> {
  readonly deviceClass: 'idCardReader';
  /**
   * Waits for a card (a card already on the pad is read at once) and reads it.
   * Fails with noCard, readFailed, samError; `canceled` when the signal aborts.
   */
  readCard: DeviceCommand<void, ResidentIdentity, IdCardReaderErrorCode>;
}
