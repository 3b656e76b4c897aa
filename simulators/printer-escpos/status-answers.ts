/*
 * The status bytes a printer answers, built from the command references
 * (protocols.md §6) with constants of the simulator's own, independently of
 * the driver's decoders.
 */

export type Paper = 'full' | 'nearEnd' | 'out';
export type Fault = 'jam' | 'cutter' | 'headTemperature' | 'powerSupply' | 'memory';

export interface PrinterCondition {
  readonly paper: Paper;
  readonly coverOpen: boolean;
  /** Generic printers: the "unrecoverable error" of DLE EOT 3. */
  readonly unrecoverable: boolean;
  readonly faults: ReadonlySet<Fault>;
  readonly ticketInPresenter: boolean;
}

// DLE EOT n: fixed bits 1 and 4 (0x12) plus the flags of each page.
const ANSWER_BASE = 0x12;
const OFFLINE = 0x08;
const COVER_OPEN = 0x04;
const STOPPED_BY_PAPER_END = 0x20;
const ERROR_OCCURRED = 0x40;
const AUTOCUTTER_ERROR = 0x08;
const UNRECOVERABLE = 0x20;
const NEAR_END_SENSORS = 0x0c;
const PAPER_END_SENSORS = 0x60;

/** The one-byte answer to DLE EOT `page` (1..4). */
export function realtimeAnswer(page: number, c: PrinterCondition): number {
  const paperOut = c.paper === 'out';
  const error = c.unrecoverable || c.faults.size > 0;
  switch (page) {
    case 1:
      return ANSWER_BASE | (c.coverOpen || paperOut || error ? OFFLINE : 0);
    case 2:
      return (
        ANSWER_BASE |
        (c.coverOpen ? COVER_OPEN : 0) |
        (paperOut ? STOPPED_BY_PAPER_END : 0) |
        (error ? ERROR_OCCURRED : 0)
      );
    case 3:
      return ANSWER_BASE | (c.faults.has('cutter') ? AUTOCUTTER_ERROR : 0) | (c.unrecoverable ? UNRECOVERABLE : 0);
    default:
      return (
        ANSWER_BASE | (c.paper === 'nearEnd' || paperOut ? NEAR_END_SENSORS : 0) | (paperOut ? PAPER_END_SENSORS : 0)
      );
  }
}

// Custom VKP80 full status `10 0F P U R N` (TerminalClient CustomVKP80.cpp).
const FULL_STATUS_HEADER = [0x10, 0x0f] as const;
const P_PAPER_END = 0x01;
const P_NEAR_END = 0x04;
const P_TICKET_IN_PRESENTER = 0x20;
const U_COVER_OPEN = 0x03;
const R_HEAD_TEMPERATURE = 0x01;
const R_POWER_SUPPLY = 0x08;
const R_PAPER_JAM = 0x40;
const N_CUTTER = 0x01;
const N_MEMORY = 0x04;

/** The six-byte answer to `10 04 14`. */
export function vkp80FullStatus(c: PrinterCondition): Uint8Array {
  const has = (fault: Fault, bits: number): number => (c.faults.has(fault) ? bits : 0);
  const paper =
    (c.paper === 'out' ? P_PAPER_END | P_NEAR_END : c.paper === 'nearEnd' ? P_NEAR_END : 0) |
    (c.ticketInPresenter ? P_TICKET_IN_PRESENTER : 0);
  const user = c.coverOpen ? U_COVER_OPEN : 0;
  const recoverable =
    has('headTemperature', R_HEAD_TEMPERATURE) | has('powerSupply', R_POWER_SUPPLY) | has('jam', R_PAPER_JAM);
  const unrecoverable = has('cutter', N_CUTTER) | has('memory', N_MEMORY);
  return Uint8Array.of(...FULL_STATUS_HEADER, paper, user, recoverable, unrecoverable);
}
