import type { CashItem, Money } from '../storage/contract.js';
import type { ClassifiedNote } from './contract.js';

/**
 * What an acceptor model's protocol adapter offers the shared escrow core
 * (escrow-core.ts), in model-independent terms. Adapter methods reject only
 * for link failures (DeviceTimeoutError, DeviceError hardwareError).
 */
export type AcceptorEvent =
  /** The device restarted (power cycle or reset): the escrow is gone. */
  | { readonly kind: 'restarted' }
  /** A note entered the validator. */
  | { readonly kind: 'reading' }
  /** A valid note waits at the head: the core calls acceptHead or refuseHead before the next poll. */
  | { readonly kind: 'noteAtHead'; readonly item: CashItem }
  /** A note reached the escrow (fit or unfit), with its serial when read. */
  | { readonly kind: 'escrowed'; readonly note: ClassifiedNote }
  /** A counterfeit or suspect note was kept by the device (it is in the cashbox). */
  | { readonly kind: 'retained'; readonly note: ClassifiedNote }
  /** A note went back to the customer unread (or refused by the host). */
  | { readonly kind: 'returned' }
  /** Cheating was detected (string, pulled note). */
  | { readonly kind: 'fraudAttempt' }
  /** Paid-out notes left the recycler (recyclers only). */
  | { readonly kind: 'paidOut'; readonly amount: Money };

/** Level-triggered conditions, restated on every poll. */
export interface AcceptorCondition {
  readonly jammed: boolean;
  readonly cashboxMissing: boolean;
  readonly stackerFull: boolean;
  /** Notes lie in the bezel within the customer's reach. */
  readonly bezelOccupied: boolean;
}

export interface AcceptorIdentity {
  readonly modelName: string;
  readonly serialNumber: string;
  readonly firmware: string;
  /** The note types the validator knows, in channel order. */
  readonly noteTypes: readonly CashItem[];
}

/** What lay in the bezel when a handshake ended: notes nobody took before the host or the device restarted. */
export interface BezelContent {
  readonly occupied: boolean;
  /** Their value per currency when the protocol tells it (eSSP Note Held in Bezel); empty otherwise. */
  readonly amounts: readonly Money[];
}

/** Where cashInEnd put each escrowed note, in escrow order: a recycle store or the cashbox. */
export type CommitRoute = 'recycler' | 'cashbox';

export interface AcceptorAdapter {
  readonly protocol: string;
  start(): void;
  stop(): void;
  /** Handshake (and key exchange), identity, note table, what lies in the bezel; leaves the validator disabled. */
  initialise(): Promise<{ readonly identity: AcceptorIdentity; readonly bezel: BezelContent }>;
  poll(): Promise<{ readonly events: readonly AcceptorEvent[]; readonly condition: AcceptorCondition }>;
  /** Enables these note types (an empty list disables the validator). */
  setAcceptance(items: readonly CashItem[]): Promise<void>;
  acceptHead(): Promise<void>;
  refuseHead(): Promise<void>;
  /**
   * Stores the escrow, fit notes in recycle stores only when `useRecycleUnits`;
   * undefined when the device cannot (then nothing moved).
   */
  commitEscrow(useRecycleUnits: boolean): Promise<readonly CommitRoute[] | undefined>;
  returnEscrow(): Promise<void>;
  reset(): Promise<void>;
}
