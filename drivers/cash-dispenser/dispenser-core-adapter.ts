import type { DispenseOutcome, NoteErrorReason, ShutterState } from './contract.js';

/**
 * What a dispenser model's protocol adapter offers the shared core
 * (dispenser-core.ts). Cassettes are numbered by position from 0; the core
 * maps them to cash units. Adapter methods reject only for link failures
 * (DeviceTimeoutError, DeviceError hardwareError); a device that answers with
 * an error code resolves with a `fault`.
 */

/** Model-independent reasons a device refuses or stops a command. */
export type DispenserFault =
  | { readonly kind: 'pickFailure' }
  | { readonly kind: 'jam'; readonly where: string }
  | { readonly kind: 'cassetteMissing' }
  | { readonly kind: 'rejectBinFull' }
  | { readonly kind: 'tooManyNotes' }
  | { readonly kind: 'tooManyRejects' }
  | { readonly kind: 'itemsLeft' }
  | { readonly kind: 'noItems' }
  | { readonly kind: 'token'; readonly code: TokenFailure }
  | { readonly kind: 'invalidCommand'; readonly description: string }
  | { readonly kind: 'hardware'; readonly description: string };

export type TokenFailure =
  | 'noCommandNonce'
  | 'invalidTokenFormat'
  | 'invalidTokenNonce'
  | 'invalidTokenHMAC'
  | 'invalidToken'
  | 'invalidTokenKeyNoValue';

export type CassetteLevel = 'ok' | 'nearEnd' | 'empty';

/** One status poll, in model-independent terms. */
export interface DeviceView {
  readonly cassettes: readonly { readonly present: boolean; readonly level: CassetteLevel }[];
  /** Notes held in the stacker/bundle area, not yet within reach; `unknown` after a power cut. */
  readonly stacker: 'empty' | 'notEmpty' | 'unknown';
  /** Notes lie where the customer can reach them (exit tray, open shutter). */
  readonly exitOccupied: boolean;
  readonly shutter: ShutterState;
  readonly rejectFull: boolean;
  /** A jam that needs reset before anything else moves. */
  readonly jammed: boolean;
}

/** The per-cassette outcome of a dispense command as the device reports it. */
export interface DispenseReport {
  readonly fault?: DispenserFault;
  /** Notes that reached the stacker, per cassette. */
  readonly delivered: readonly number[];
  /** Notes diverted to the reject bin, per cassette. */
  readonly rejected: readonly number[];
}

export interface MoveReport {
  readonly fault?: DispenserFault;
  readonly count: number;
}

/** The device's persistent record of its last dispense (our vendor extension on both models). */
export interface DeviceTransaction {
  readonly dispenseId: number;
  readonly stage: DispenseOutcome;
  readonly interrupted: boolean;
  readonly requested: readonly number[];
  /** Notes that left each cassette, rejected ones included. */
  readonly picked: readonly number[];
  readonly rejected: readonly number[];
  readonly rejectReasons: readonly { readonly cassette: number; readonly reason: NoteErrorReason }[];
  /** Notes that reached the stacker, in pick order. */
  readonly notes: readonly { readonly cassette: number; readonly serialNumber?: string }[];
  readonly presented: number;
  readonly retracted: number;
  readonly tokenId?: string;
  readonly startedAt: number;
  readonly updatedAt: number;
}

export interface DispenserAdapter {
  readonly modelName: string;
  readonly protocol: string;
  /** Where a retract can send notes on this model. */
  readonly retractAreas: readonly ('reject' | 'retract')[];
  /** Attaches the link to the (already opened) transport. */
  start(): void;
  stop(): void;
  serialNumber(): Promise<string>;
  status(): Promise<DeviceView>;
  dispense(counts: readonly number[], token: string | undefined, timeoutMs: number): Promise<DispenseReport>;
  present(): Promise<MoveReport>;
  reject(): Promise<MoveReport>;
  retract(): Promise<MoveReport>;
  reset(): Promise<MoveReport>;
  nonce(): Promise<{ readonly fault?: DispenserFault; readonly nonce: string }>;
  clearNonce(): Promise<{ readonly fault?: DispenserFault }>;
  presentStatusToken(nonce: string): Promise<{ readonly fault?: DispenserFault; readonly token: string }>;
  transaction(): Promise<DeviceTransaction | undefined>;
}
