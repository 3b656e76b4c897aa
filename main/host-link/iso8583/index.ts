export { IsoFormatError, type IsoFormatErrorCode } from './errors.js';
export type { FieldValue, Interpreter, Padder, Prefixer, PrefixerFamily } from './encodings.js';
export { interpreters, asciiPrefixer, bcdPrefixer, binaryPrefixer, zeroLeftPadder, spaceRightPadder, noPadder } from './encodings.js';
export { FIELDS_1987, type FieldSpec, type FieldType, type LengthKind } from './fields.js';
export {
  ASCII_PROFILE,
  BINARY_PROFILE,
  ISO_PADDERS,
  PROFILES,
  compileProfile,
  resolveProfile,
  type FieldCodec,
  type Profile,
  type ProfileDefinition,
  type ProfileName,
} from './profiles.js';
export { decode, encode, macFieldFor, macInput, withMac, type IsoMessage } from './codec.js';
export { FrameDecoder, frame, type FrameDecoderOptions } from './framing.js';
export * from './fields-helpers.js';
