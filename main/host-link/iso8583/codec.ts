import type { FieldValue } from './encodings.js';
import { IsoFormatError } from './errors.js';
import { resolveProfile, type FieldCodec, type Profile, type ProfileName } from './profiles.js';

/** One ISO 8583 message: the MTI and the present data elements (2..128) by number. Bitmaps are derived. */
export interface IsoMessage {
  readonly mti: string;
  readonly fields: Map<number, FieldValue>;
}

const MTI_DIGITS = 4;
const BITMAP_BYTES = 8;
const PRIMARY_MAC = 64;
const SECONDARY_MAC = 128;

/** Primary (DE1..64) and secondary (DE65..128) bitmaps kept apart, so each is written whole without a subarray view (slow in V8). */
interface Bitmaps {
  readonly primary: Uint8Array;
  readonly secondary: Uint8Array | null;
}

const bitIndex = (id: number): number => ((id - 1) & 63) >> 3;
const bitMask = (id: number): number => 0x80 >> ((id - 1) & 7);

function hasBit({ primary, secondary }: Bitmaps, id: number): boolean {
  const half = id <= 64 ? primary : secondary;
  return half !== null && (half[bitIndex(id)]! & bitMask(id)) !== 0;
}

/** Field numbers present, ascending, skipping bit 1 (it announces the secondary bitmap). */
function presentFields({ primary, secondary }: Bitmaps): number[] {
  const ids: number[] = [];
  for (let byte = 0; byte < 2 * BITMAP_BYTES; byte++) {
    const b = byte < BITMAP_BYTES ? primary[byte]! : secondary === null ? 0 : secondary[byte - BITMAP_BYTES]!;
    if (b === 0) continue;
    for (let bit = 0; bit < 8; bit++) {
      if ((b & (0x80 >> bit)) !== 0) ids.push(byte * 8 + bit + 1);
    }
  }
  if (ids[0] === 1) ids.shift();
  return ids;
}

function codecFor(profile: Profile, id: number): FieldCodec {
  // The range test also keeps odd keys (2.5, -1, NaN) from indexing the array's own properties.
  const codec = Number.isInteger(id) && id >= 2 && id <= 128 ? profile.codecs[id] : undefined;
  if (codec === undefined) throw new IsoFormatError('unknownField', id);
  return codec;
}

/**
 * Encodes to the profile's wire form (no frame length). Short fixed n/an/ans values are padded
 * (zeros left / spaces right); anything else that does not fit its field is refused.
 */
export function encode(message: IsoMessage, profile: ProfileName | Profile): Uint8Array {
  const p = resolveProfile(profile);
  if (p.mti.measure(message.mti) !== MTI_DIGITS) throw new IsoFormatError('badMti');

  // Pass 1 validates and sizes every field so pass 2 writes into one exact allocation.
  const primary = new Uint8Array(BITMAP_BYTES);
  const secondary = new Uint8Array(BITMAP_BYTES);
  // Plain arrays: a typed array this size lives off-heap and costs more to allocate than the rest of a small message.
  const values = new Array<FieldValue | undefined>(129);
  const units = new Array<number>(129);
  let size = 0;
  for (const [id, given] of message.fields) {
    const codec = codecFor(p, id);
    const { spec, interpreter, prefixer } = codec;
    let value = given;
    let n = interpreter.measure(value);
    if (n < 0) throw new IsoFormatError('badField', id, `not a ${spec.type} value`);
    if (prefixer === null && n < spec.length && typeof value === 'string') {
      const padded = codec.padder(value, spec.length);
      if (padded !== null) {
        value = padded;
        n = spec.length;
      }
    }
    if (prefixer === null ? n !== spec.length : n > spec.length) {
      throw new IsoFormatError('badLength', id, `${n} units where ${spec.prefix} ${spec.length} is allowed`);
    }
    values[id] = value;
    units[id] = n;
    (id <= 64 ? primary : secondary)[bitIndex(id)]! |= bitMask(id);
    size += (prefixer === null ? 0 : prefixer.width) + interpreter.wireLength(n);
  }

  const bitmaps: Bitmaps = { primary, secondary: secondary.some((b) => b !== 0) ? secondary : null };
  if (bitmaps.secondary !== null) {
    primary[0]! |= 0x80;
    // host-crypto.md §1.2: the MAC is the last field, DE128 once a secondary bitmap exists.
    if (hasBit(bitmaps, PRIMARY_MAC)) throw new IsoFormatError('badField', PRIMARY_MAC, 'MAC belongs in DE128 with a secondary bitmap');
  }
  const mtiWire = p.mti.wireLength(MTI_DIGITS);
  const bitmapWire = p.bitmap.wireLength(BITMAP_BYTES);
  const out = new Uint8Array(size + mtiWire + (bitmaps.secondary === null ? 1 : 2) * bitmapWire);

  p.mti.write(message.mti, MTI_DIGITS, out, 0, true);
  p.bitmap.write(primary, BITMAP_BYTES, out, mtiWire, true);
  let pos = mtiWire + bitmapWire;
  if (bitmaps.secondary !== null) {
    p.bitmap.write(secondary, BITMAP_BYTES, out, pos, true);
    pos += bitmapWire;
  }
  for (const id of presentFields(bitmaps)) {
    const { interpreter, prefixer } = p.codecs[id]!;
    const n = units[id]!;
    if (prefixer !== null) {
      prefixer.write(n * interpreter.prefixScale, out, pos);
      pos += prefixer.width;
    }
    interpreter.write(values[id]!, n, out, pos, prefixer === null);
    pos += interpreter.wireLength(n);
  }
  return out;
}

interface Header extends Bitmaps {
  readonly mti: string;
  /** Offset of the first data element. */
  readonly pos: number;
}

function readHeader(bytes: Uint8Array, p: Profile): Header {
  const mtiWire = p.mti.wireLength(MTI_DIGITS);
  if (bytes.length < mtiWire) throw new IsoFormatError('truncated', undefined, 'in the MTI');
  const mti = p.mti.read(bytes, 0, MTI_DIGITS, true);
  if (mti === null) throw new IsoFormatError('badMti');

  const bitmapWire = p.bitmap.wireLength(BITMAP_BYTES);
  const readBitmap = (pos: number): Uint8Array => {
    if (bytes.length - pos < bitmapWire) throw new IsoFormatError('truncated', undefined, 'in a bitmap');
    const half = p.bitmap.read(bytes, pos, BITMAP_BYTES, true);
    if (half === null) throw new IsoFormatError('badBitmap');
    return half as Uint8Array;
  };
  const primary = readBitmap(mtiWire);
  const secondary = (primary[0]! & 0x80) !== 0 ? readBitmap(mtiWire + bitmapWire) : null;
  return { mti: mti as string, primary, secondary, pos: mtiWire + (secondary === null ? 1 : 2) * bitmapWire };
}

/** Decodes one unframed message. Every failure is an IsoFormatError; bytes after the last field are `badLength`. */
export function decode(bytes: Uint8Array, profile: ProfileName | Profile): IsoMessage {
  const p = resolveProfile(profile);
  const header = readHeader(bytes, p);
  const end = bytes.length;
  const fields = new Map<number, FieldValue>();
  let pos = header.pos;
  for (const id of presentFields(header)) {
    const { spec, interpreter, prefixer } = codecFor(p, id);
    let n = spec.length;
    if (prefixer !== null) {
      if (end - pos < prefixer.width) throw new IsoFormatError('truncated', id, 'in the length prefix');
      const count = prefixer.read(bytes, pos);
      n = count / interpreter.prefixScale;
      if (count < 0 || !Number.isInteger(n) || n > spec.length) {
        throw new IsoFormatError('badLength', id, `prefix ${count} for ${spec.prefix} ${spec.length}`);
      }
      pos += prefixer.width;
    }
    const wire = interpreter.wireLength(n);
    if (end - pos < wire) throw new IsoFormatError('truncated', id, `${wire} bytes needed, ${end - pos} left`);
    const value = interpreter.read(bytes, pos, n, prefixer === null);
    if (value === null) throw new IsoFormatError('badField', id, `not a ${spec.type} value`);
    fields.set(id, value);
    pos += wire;
  }
  if (pos !== end) throw new IsoFormatError('badLength', undefined, `${end - pos} bytes after the last field`);
  return { mti: header.mti, fields };
}

/** Where the MAC goes for these fields: DE128 when any of DE65..127 forces a secondary bitmap, else DE64. */
export function macFieldFor(fields: ReadonlyMap<number, unknown>): 64 | 128 {
  for (const id of fields.keys()) if (id > PRIMARY_MAC && id < SECONDARY_MAC) return SECONDARY_MAC;
  return PRIMARY_MAC;
}

/** The MAC field's codec and offset. The MAC is the final field, so only the header is parsed. */
function macSlot(bytes: Uint8Array, p: Profile): { codec: FieldCodec; at: number } {
  const header = readHeader(bytes, p);
  const id = header.secondary !== null ? SECONDARY_MAC : PRIMARY_MAC;
  if (!hasBit(header, id)) throw new IsoFormatError('badField', id, 'no MAC field');
  const codec = codecFor(p, id);
  if (codec.prefixer !== null) throw new IsoFormatError('badField', id, 'a MAC field must be fixed length');
  const at = bytes.length - codec.interpreter.wireLength(codec.spec.length);
  if (at < header.pos) throw new IsoFormatError('truncated', id);
  return { codec, at };
}

/**
 * The bytes a DE64/DE128 MAC covers: the encoded message from the MTI up to, not including, the MAC
 * field. Encode with a zero placeholder MAC, MAC this, then `withMac`. Only the MTI and bitmaps are
 * checked, so decode untrusted input first.
 */
export function macInput(bytes: Uint8Array, profile: ProfileName | Profile): Uint8Array {
  return bytes.subarray(0, macSlot(bytes, resolveProfile(profile)).at);
}

/** A copy of an encoded message with its MAC field set to `mac`. */
export function withMac(bytes: Uint8Array, mac: Uint8Array, profile: ProfileName | Profile): Uint8Array {
  const { codec, at } = macSlot(bytes, resolveProfile(profile));
  if (mac.length !== codec.spec.length) throw new IsoFormatError('badLength', codec.spec.id, `MAC of ${mac.length} bytes`);
  const out = new Uint8Array(bytes); // a copy even when given a Buffer, whose slice() is a view
  codec.interpreter.write(mac, mac.length, out, at, true);
  return out;
}
