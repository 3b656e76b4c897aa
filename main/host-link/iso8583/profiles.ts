import {
  asciiPrefixer,
  bcdPrefixer,
  interpreters as interp,
  noPadder,
  spaceRightPadder,
  zeroLeftPadder,
  type Interpreter,
  type Padder,
  type Prefixer,
  type PrefixerFamily,
} from './encodings.js';
import { IsoFormatError } from './errors.js';
import { FIELDS_1987, type FieldSpec, type FieldType } from './fields.js';

/** A wire profile as data: which piece encodes each field type, and the field table it applies to. */
export interface ProfileDefinition {
  readonly name: string;
  /** Per field type; the MTI is four digits and uses the `n` interpreter. */
  readonly interpreters: Readonly<Record<FieldType, Interpreter>>;
  /** Reads and writes each 8-byte bitmap. */
  readonly bitmap: Interpreter;
  readonly prefixer: PrefixerFamily;
  readonly padders: Readonly<Record<FieldType, Padder>>;
  /** Any subset of DE2..128; a field missing here is `unknownField` in both directions. */
  readonly fields: readonly FieldSpec[];
}

/** One field's composed codec, built once per profile so the hot loops only index arrays. */
export interface FieldCodec {
  readonly spec: FieldSpec;
  readonly interpreter: Interpreter;
  readonly padder: Padder;
  /** null for fixed-length fields. */
  readonly prefixer: Prefixer | null;
}

export interface Profile {
  readonly name: string;
  readonly mti: Interpreter;
  readonly bitmap: Interpreter;
  /** Indexed by field number; holes for fields the table leaves out. */
  readonly codecs: readonly (FieldCodec | undefined)[];
}

/** jPOS padding rules: numbers zero-filled on the left, text space-filled on the right, nothing else padded. */
export const ISO_PADDERS: Readonly<Record<FieldType, Padder>> = {
  n: zeroLeftPadder,
  an: spaceRightPadder,
  ans: spaceRightPadder,
  z: noPadder,
  b: noPadder,
  'x+n': noPadder,
};

/** The worked 0200 of host-crypto.md §1.6 (pyiso8583 `default_ascii`): all ASCII, hex-ASCII bitmap and binary fields. */
export const ASCII_PROFILE: ProfileDefinition = {
  name: 'ascii',
  interpreters: {
    n: interp.asciiNumeric,
    an: interp.asciiAlphanumeric,
    ans: interp.asciiPrintable,
    z: interp.asciiTrack2,
    b: interp.hexAscii,
    'x+n': interp.asciiSignedAmount,
  },
  bitmap: interp.hexAscii,
  prefixer: asciiPrefixer,
  padders: ISO_PADDERS,
  fields: FIELDS_1987,
};

/** jPOS `iso87binary` style: BCD MTI, numbers and lengths; binary bitmap and b fields; text stays ASCII. */
export const BINARY_PROFILE: ProfileDefinition = {
  name: 'binary',
  interpreters: {
    n: interp.bcdNumeric,
    an: interp.asciiAlphanumeric,
    ans: interp.asciiPrintable,
    z: interp.bcdTrack2,
    b: interp.rawBytes,
    'x+n': interp.bcdSignedAmount,
  },
  bitmap: interp.rawBytes,
  prefixer: bcdPrefixer,
  padders: ISO_PADDERS,
  fields: FIELDS_1987,
};

/**
 * Composes every field's codec. Throws IsoFormatError (badLength) if a table asks for more than the
 * profile's prefix can carry, so a bad definition fails when it is loaded, not on the first message.
 */
export function compileProfile(def: ProfileDefinition): Profile {
  const codecs: (FieldCodec | undefined)[] = new Array<FieldCodec | undefined>(129).fill(undefined);
  const ll = def.prefixer(2);
  const lll = def.prefixer(3);
  for (const spec of def.fields) {
    if (!Number.isInteger(spec.id) || spec.id < 2 || spec.id > 128) throw new IsoFormatError('unknownField', spec.id);
    const interpreter = def.interpreters[spec.type];
    const prefixer = spec.prefix === 'fixed' ? null : spec.prefix === 'LL' ? ll : lll;
    if (prefixer !== null && spec.length * interpreter.prefixScale > prefixer.max) {
      throw new IsoFormatError('badLength', spec.id, `${spec.prefix} cannot carry ${spec.length} in profile ${def.name}`);
    }
    codecs[spec.id] = { spec, interpreter, prefixer, padder: def.padders[spec.type] };
  }
  return { name: def.name, mti: def.interpreters.n, bitmap: def.bitmap, codecs };
}

export const PROFILES = {
  ascii: compileProfile(ASCII_PROFILE),
  binary: compileProfile(BINARY_PROFILE),
} as const satisfies Record<string, Profile>;

export type ProfileName = keyof typeof PROFILES;

export function resolveProfile(profile: ProfileName | Profile): Profile {
  return typeof profile === 'string' ? PROFILES[profile] : profile;
}
