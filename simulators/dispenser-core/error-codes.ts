import type { JamSensor, MechanismError } from './mechanism.js';

/**
 * Mechanism results → the error codes both simulated dispensers report: the
 * LCDM-4000 ERR numbering (without its 0x20 wire offset), which our F56 unit
 * follows where the meaning is the same, and 0x50… our token, presenter and
 * reject-bin extensions. Only the jam codes differ by model.
 */
export function dispenserErrorCodes(
  jams: Readonly<Record<`jam${JamSensor}`, number>>,
): Readonly<Record<MechanismError, number>> {
  return {
    pickFailure: 0x01,
    ...jams,
    itemsLeft: 0x05,
    tooManyNotes: 0x0c,
    tooManyRejects: 0x0d,
    cassetteMissing: 0x24,
    badParameter: 0x31,
    noNonce: 0x50,
    badFormat: 0x51,
    badNonce: 0x52,
    badHmac: 0x53,
    notAuthorised: 0x54,
    noItems: 0x55,
    rejectBinFull: 0x56,
    noDeviceKey: 0x57,
  };
}
