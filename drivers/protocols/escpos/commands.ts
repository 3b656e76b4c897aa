/** ESC/POS commands the printer driver itself issues (receipt layout lives elsewhere). */

/** ESC @: initialise the printer (clears the buffer and modes). */
export const INITIALIZE = Uint8Array.of(0x1b, 0x40);
/** GS V 1: partial cut (the ticket stays attached for the customer to tear). */
export const PARTIAL_CUT = Uint8Array.of(0x1d, 0x56, 0x01);
/** GS V 0: full cut. */
export const FULL_CUT = Uint8Array.of(0x1d, 0x56, 0x00);
