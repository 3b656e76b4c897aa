/**
 * The small pieces a field codec is composed from (jPOS style): an interpreter turns a value into
 * wire bytes, a prefixer writes the LL/LLL length, a padder fills a short fixed-length value.
 * A profile picks one of each per field type; nothing here knows field numbers.
 *
 * Interpreters validate while measuring and never throw: they return -1 / null and the codec
 * turns that into an IsoFormatError carrying the field number.
 */

/** A field value: text for n/an/ans/z/x+n fields, bytes for b fields. */
export type FieldValue = string | Uint8Array;

export interface Interpreter {
  /** Units in `value` (characters, digits, or bytes for binary data); -1 for a wrong type or a forbidden character. */
  measure(value: FieldValue): number;
  /** Bytes on the wire for a value of `units` units. */
  wireLength(units: number): number;
  /** What a length prefix counts per unit: hex-ASCII data is counted in characters (the worked 0200's DE55 is `276`). */
  readonly prefixScale: 1 | 2;
  /** Writes a value already accepted by `measure`. `fixed` picks the BCD pad side for odd digit counts. */
  write(value: FieldValue, units: number, out: Uint8Array, pos: number, fixed: boolean): void;
  /** Reads `units` units at `pos` (the caller has checked they are there); null if the bytes are not a legal value. */
  read(src: Uint8Array, pos: number, units: number, fixed: boolean): FieldValue | null;
}

export interface Prefixer {
  /** Bytes the prefix takes. */
  readonly width: number;
  /** Largest count the prefix can carry. */
  readonly max: number;
  write(count: number, out: Uint8Array, pos: number): void;
  /** The count, or -1 if the prefix bytes are malformed. */
  read(src: Uint8Array, pos: number): number;
}

/** Builds the LL (2 digits) or LLL (3 digits) prefixer of one family. */
export type PrefixerFamily = (digits: 2 | 3) => Prefixer;

/** Fills a fixed-length text value that is `length - value.length` units short; null when the type may not be padded. */
export type Padder = (value: string, length: number) => string | null;

// ---- character classes -------------------------------------------------------------------------

const DIGIT = 1;
const ALNUM = 2; // letters, digits and the space pad
const PRINTABLE = 4; // 0x20..0x7E: the 1987 'ans' set
const TRACK2 = 8; // digits and the '=' separator
const SIGN = 16; // C(redit) / D(ebit) of an x+n amount

const CLASS = new Uint8Array(256);
for (let c = 0x20; c <= 0x7e; c++) CLASS[c] = PRINTABLE;
for (let c = 0x30; c <= 0x39; c++) CLASS[c] = DIGIT | ALNUM | PRINTABLE | TRACK2;
for (let c = 0x41; c <= 0x5a; c++) CLASS[c] = ALNUM | PRINTABLE;
for (let c = 0x61; c <= 0x7a; c++) CLASS[c] = ALNUM | PRINTABLE;
CLASS[0x20] = ALNUM | PRINTABLE;
CLASS[0x3d] = TRACK2 | PRINTABLE;
CLASS[0x43] = ALNUM | PRINTABLE | SIGN;
CLASS[0x44] = ALNUM | PRINTABLE | SIGN;

const CHAR = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));
const ASCII_DECODER = new TextDecoder();

/** A string from bytes already checked to be ASCII. On Node 20, concatenation wins up to ~8 characters, the native decoder beyond. */
function text(codes: Uint8Array, from: number, to: number): string {
  if (to - from > 8) return ASCII_DECODER.decode(codes.subarray(from, to));
  let s = '';
  for (let i = from; i < to; i++) s += CHAR[codes[i]!]!;
  return s;
}

// ---- interpreters ------------------------------------------------------------------------------

/** One ASCII byte per character; `first` lets x+n demand a C/D sign ahead of digits. */
function asciiText(mask: number, first: number = mask): Interpreter {
  return {
    prefixScale: 1,
    measure(value) {
      if (typeof value !== 'string') return -1;
      const n = value.length;
      for (let i = 0; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c > 0x7e || (CLASS[c]! & (i === 0 ? first : mask)) === 0) return -1;
      }
      return n;
    },
    wireLength: (units) => units,
    write(value, units, out, pos) {
      const s = value as string;
      for (let i = 0; i < units; i++) out[pos + i] = s.charCodeAt(i);
    },
    read(src, pos, units) {
      for (let i = 0; i < units; i++) {
        if ((CLASS[src[pos + i]!]! & (i === 0 ? first : mask)) === 0) return null;
      }
      return text(src, pos, pos + units);
    },
  };
}

const NIBBLE_EQUALS = 0x0d; // track 2 '=' packs as nibble D (ISO 7813)

/** Packs `count` digit characters of `s` from `from` as BCD; odd counts take a 0 pad nibble left or right. */
function packDigits(s: string, from: number, count: number, out: Uint8Array, pos: number, padLeft: boolean): void {
  let nib = padLeft && count % 2 === 1 ? 1 : 0; // nibble index on the wire
  if (nib === 1) out[pos] = 0;
  for (let i = 0; i < count; i++, nib++) {
    const c = s.charCodeAt(from + i);
    const v = c === 0x3d ? NIBBLE_EQUALS : c - 0x30;
    const at = pos + (nib >> 1);
    out[at] = (nib & 1) === 0 ? v << 4 : out[at]! | v;
  }
}

/** Inverse of packDigits into `codes`; false if a nibble is not a digit (or D when `track2`) or a pad nibble is not 0/F. */
function unpackDigits(
  src: Uint8Array,
  pos: number,
  count: number,
  padLeft: boolean,
  track2: boolean,
  codes: Uint8Array,
  at: number,
): boolean {
  const odd = count % 2 === 1;
  let nib = padLeft && odd ? 1 : 0;
  if (odd) {
    const pad = padLeft ? src[pos]! >> 4 : src[pos + (count >> 1)]! & 0x0f;
    if (pad !== 0 && pad !== 0x0f) return false;
  }
  for (let i = 0; i < count; i++, nib++) {
    const b = src[pos + (nib >> 1)]!;
    const v = (nib & 1) === 0 ? b >> 4 : b & 0x0f;
    if (v <= 9) codes[at + i] = 0x30 + v;
    else if (track2 && v === NIBBLE_EQUALS) codes[at + i] = 0x3d;
    else return false;
  }
  return true;
}

/** Character codes of unpacked digits, reused: text() copies out of it before the next read. */
let charScratch = new Uint8Array(1024);

function scratchFor(units: number): Uint8Array {
  if (units > charScratch.length) charScratch = new Uint8Array(units);
  return charScratch;
}

/** Two digits a byte. Fixed fields pad on the left (value semantics kept), variable ones on the right, as jPOS IFB_*NUM. */
function bcd(track2: boolean): Interpreter {
  const chars = asciiText(track2 ? TRACK2 : DIGIT);
  return {
    prefixScale: 1,
    measure: chars.measure,
    wireLength: (units) => (units + 1) >> 1,
    write(value, units, out, pos, fixed) {
      packDigits(value as string, 0, units, out, pos, fixed);
    },
    read(src, pos, units, fixed) {
      const codes = scratchFor(units);
      return unpackDigits(src, pos, units, fixed, track2, codes, 0) ? text(codes, 0, units) : null;
    },
  };
}

/** x+n amount in a BCD profile: the C/D sign stays one ASCII byte, the digits pack as BCD (jPOS IFB_AMOUNT). */
const signedBcd: Interpreter = {
  prefixScale: 1,
  measure: asciiText(DIGIT, SIGN).measure,
  wireLength: (units) => 1 + (units >> 1),
  write(value, units, out, pos) {
    const s = value as string;
    out[pos] = s.charCodeAt(0);
    packDigits(s, 1, units - 1, out, pos + 1, true);
  },
  read(src, pos, units) {
    const sign = src[pos]!;
    if ((CLASS[sign]! & SIGN) === 0) return null;
    const codes = scratchFor(units);
    codes[0] = sign;
    return unpackDigits(src, pos + 1, units - 1, true, false, codes, 1) ? text(codes, 0, units) : null;
  },
};

const HEX_OUT = new Uint8Array(16).map((_, i) => '0123456789ABCDEF'.charCodeAt(i));
const HEX_IN = new Int8Array(256).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX_IN['0123456789ABCDEF'.charCodeAt(i)] = i;
  HEX_IN['0123456789abcdef'.charCodeAt(i)] = i;
}

function measureBytes(value: FieldValue): number {
  return value instanceof Uint8Array ? value.length : -1;
}

/** Binary data as upper-case hex characters (pyiso8583 `default_ascii`); either case is accepted on read. */
const hexAscii: Interpreter = {
  prefixScale: 2,
  measure: measureBytes,
  wireLength: (units) => units * 2,
  write(value, units, out, pos) {
    const bytes = value as Uint8Array;
    for (let i = 0; i < units; i++) {
      const b = bytes[i]!;
      out[pos + 2 * i] = HEX_OUT[b >> 4]!;
      out[pos + 2 * i + 1] = HEX_OUT[b & 0x0f]!;
    }
  },
  read(src, pos, units) {
    const bytes = new Uint8Array(units);
    for (let i = 0; i < units; i++) {
      const hi = HEX_IN[src[pos + 2 * i]!]!;
      const lo = HEX_IN[src[pos + 2 * i + 1]!]!;
      if ((hi | lo) < 0) return null;
      bytes[i] = (hi << 4) | lo;
    }
    return bytes;
  },
};

/**
 * Binary data as itself. Reads copy into a plain Uint8Array, so a decoded message never aliases the
 * receive buffer (Node's Buffer#slice would return a view).
 */
const rawBytes: Interpreter = {
  prefixScale: 1,
  measure: measureBytes,
  wireLength: (units) => units,
  write(value, _units, out, pos) {
    out.set(value as Uint8Array, pos);
  },
  read: (src, pos, units) => new Uint8Array(src.subarray(pos, pos + units)),
};

export const interpreters = {
  /** n as ASCII digits. */
  asciiNumeric: asciiText(DIGIT),
  /** an: letters, digits and space (the pad character). */
  asciiAlphanumeric: asciiText(ALNUM),
  /** ans: printable ASCII 0x20..0x7E. */
  asciiPrintable: asciiText(PRINTABLE),
  /** z as ASCII: digits and '='. */
  asciiTrack2: asciiText(TRACK2),
  /** x+n as ASCII: C or D, then digits. */
  asciiSignedAmount: asciiText(DIGIT, SIGN),
  bcdNumeric: bcd(false),
  bcdTrack2: bcd(true),
  bcdSignedAmount: signedBcd,
  hexAscii,
  rawBytes,
} as const;

// ---- prefixers ---------------------------------------------------------------------------------

/** "07", "276": decimal digits as ASCII. */
export const asciiPrefixer: PrefixerFamily = (digits) => ({
  width: digits,
  max: digits === 2 ? 99 : 999,
  write(count, out, pos) {
    for (let i = digits - 1, n = count; i >= 0; i--, n = (n / 10) | 0) out[pos + i] = 0x30 + (n % 10);
  },
  read(src, pos) {
    let n = 0;
    for (let i = 0; i < digits; i++) {
      const d = src[pos + i]! - 0x30;
      if (d < 0 || d > 9) return -1;
      n = n * 10 + d;
    }
    return n;
  },
});

/** LL as one BCD byte (0x07), LLL as two (0x02 0x76). */
export const bcdPrefixer: PrefixerFamily = (digits) => {
  const width = digits === 2 ? 1 : 2;
  return {
    width,
    max: digits === 2 ? 99 : 999,
    write(count, out, pos) {
      for (let i = width - 1, n = count; i >= 0; i--, n = (n / 100) | 0) {
        const pair = n % 100;
        out[pos + i] = (((pair / 10) | 0) << 4) | pair % 10;
      }
    },
    read(src, pos) {
      let n = 0;
      for (let i = 0; i < width; i++) {
        const b = src[pos + i]!;
        if (b >> 4 > 9 || (b & 0x0f) > 9) return -1;
        n = n * 100 + (b >> 4) * 10 + (b & 0x0f);
      }
      return digits === 3 && n > 999 ? -1 : n;
    },
  };
};

/** LL as one unsigned byte, LLL as a big-endian 16-bit word. */
export const binaryPrefixer: PrefixerFamily = (digits) => {
  const width = digits === 2 ? 1 : 2;
  return {
    width,
    max: digits === 2 ? 0xff : 0xffff,
    write(count, out, pos) {
      if (width === 2) out[pos++] = count >> 8;
      out[pos] = count & 0xff;
    },
    read: (src, pos) => (width === 2 ? (src[pos]! << 8) | src[pos + 1]! : src[pos]!),
  };
};

// ---- padders -----------------------------------------------------------------------------------

/** n: leading zeros keep the numeric value ("123" → "000123"). */
export const zeroLeftPadder: Padder = (value, length) => value.padStart(length, '0');
/** an/ans: trailing spaces, as jPOS IFA_CHAR. */
export const spaceRightPadder: Padder = (value, length) => value.padEnd(length, ' ');
/** z, x+n, b: a short value is an error, never silently completed. */
export const noPadder: Padder = () => null;
