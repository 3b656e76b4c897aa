/**
 * The host simulator's own ISO 8583:1987 reader and writer for the kiosk's ascii profile, written
 * apart from main/host-link/iso8583 so the two cannot share a mistake: ASCII MTI, bitmaps as 16
 * hex characters each, ASCII length prefixes, binary fields as hex text whose prefix counts
 * characters. Only the fields an ATM host exchanges are known; anything else is refused.
 * Values are strings; binary fields are upper-case hex.
 */

export class WireError extends Error {
  override readonly name = 'WireError';
}

/** [type, length (characters; bytes for b), length-prefix digits (0 = fixed)]. */
type Spec = readonly ['n' | 'an' | 'ans' | 'z' | 'b', number, 0 | 2 | 3];

const SPECS: Readonly<Record<number, Spec>> = {
  2: ['n', 19, 2],
  3: ['n', 6, 0],
  4: ['n', 12, 0],
  7: ['n', 10, 0],
  11: ['n', 6, 0],
  12: ['n', 6, 0],
  13: ['n', 4, 0],
  14: ['n', 4, 0],
  22: ['n', 3, 0],
  23: ['n', 3, 0],
  25: ['n', 2, 0],
  26: ['n', 2, 0],
  32: ['n', 11, 2],
  35: ['z', 37, 2],
  37: ['an', 12, 0],
  38: ['an', 6, 0],
  39: ['an', 2, 0],
  41: ['ans', 8, 0],
  42: ['ans', 15, 0],
  43: ['ans', 40, 0],
  48: ['ans', 999, 3],
  49: ['an', 3, 0],
  52: ['b', 8, 0],
  53: ['n', 16, 0],
  54: ['an', 120, 3],
  55: ['b', 255, 3],
  62: ['ans', 999, 3],
  64: ['b', 8, 0],
  70: ['n', 3, 0],
  90: ['n', 42, 0],
  95: ['an', 42, 0],
  102: ['ans', 28, 2],
  103: ['ans', 28, 2],
  128: ['b', 8, 0],
};

const CHARSET: Readonly<Record<Spec[0], RegExp>> = {
  n: /^[0-9]*$/,
  an: /^[0-9A-Za-z ]*$/,
  ans: /^[\x20-\x7e]*$/,
  z: /^[0-9=D]*$/,
  b: /^[0-9A-Fa-f]*$/,
};

export interface WireMessage {
  readonly mti: string;
  readonly fields: Map<number, string>;
}

const ascii = (bytes: Uint8Array, from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));

/** Characters a value occupies on the wire (b: two per byte). */
const wireChars = ([type, length]: Spec): number => (type === 'b' ? 2 * length : length);

export function decodeWire(bytes: Uint8Array): WireMessage {
  if (bytes.length < 20) throw new WireError('shorter than MTI + bitmap');
  const mti = ascii(bytes, 0, 4);
  if (!/^[0-9]{4}$/.test(mti)) throw new WireError('bad MTI');
  let bits = ascii(bytes, 4, 20);
  let pos = 20;
  if (!/^[0-9A-Fa-f]{16}$/.test(bits)) throw new WireError('bad bitmap');
  if (parseInt(bits[0]!, 16) & 8) {
    const second = ascii(bytes, 20, 36);
    if (!/^[0-9A-Fa-f]{16}$/.test(second)) throw new WireError('bad secondary bitmap');
    bits += second;
    pos = 36;
  }
  const fields = new Map<number, string>();
  for (let id = 2; id <= bits.length * 4; id++) {
    if ((parseInt(bits[(id - 1) >> 2]!, 16) & (8 >> ((id - 1) & 3))) === 0) continue;
    const spec = SPECS[id];
    if (spec === undefined) throw new WireError(`field ${id} is not one the host knows`);
    let chars = wireChars(spec);
    if (spec[2] > 0) {
      const prefix = ascii(bytes, pos, pos + spec[2]);
      if (!/^[0-9]+$/.test(prefix) || prefix.length !== spec[2]) throw new WireError(`field ${id}: bad length prefix`);
      chars = Number(prefix);
      if (chars > wireChars(spec) || (spec[0] === 'b' && chars % 2 !== 0))
        throw new WireError(`field ${id}: length ${chars} too long`);
      pos += spec[2];
    }
    if (pos + chars > bytes.length) throw new WireError(`field ${id}: truncated`);
    const value = ascii(bytes, pos, pos + chars);
    if (!CHARSET[spec[0]].test(value)) throw new WireError(`field ${id}: characters its type forbids`);
    fields.set(id, spec[0] === 'b' ? value.toUpperCase() : value);
    pos += chars;
  }
  if (pos !== bytes.length) throw new WireError(`${bytes.length - pos} bytes after the last field`);
  return { mti, fields };
}

function pad(id: number, spec: Spec, value: string): string {
  const chars = wireChars(spec);
  if (spec[2] > 0) {
    if (value.length > chars) throw new WireError(`field ${id} too long`);
    return String(value.length).padStart(spec[2], '0') + value;
  }
  if (value.length > chars || (spec[0] === 'b' && value.length !== chars))
    throw new WireError(`field ${id} does not fit`);
  return spec[0] === 'n' ? value.padStart(chars, '0') : value.padEnd(chars, ' ');
}

export function encodeWire(message: WireMessage): Uint8Array {
  const ids = [...message.fields.keys()].sort((a, b) => a - b);
  const secondary = ids.some((id) => id > 64);
  const bitmap = new Uint8Array(secondary ? 16 : 8);
  if (secondary) bitmap[0] = 0x80;
  let body = '';
  for (const id of ids) {
    const spec = SPECS[id];
    if (spec === undefined) throw new WireError(`field ${id} is not one the host knows`);
    bitmap[(id - 1) >> 3]! |= 0x80 >> ((id - 1) & 7);
    body += pad(id, spec, message.fields.get(id)!);
  }
  const hexBitmap = [...bitmap]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
  return Uint8Array.from(message.mti + hexBitmap + body, (c) => c.charCodeAt(0));
}

/** The id of the MAC field a message carries last (128 with a secondary bitmap), if any. */
export function macField(message: WireMessage): 64 | 128 | null {
  if (message.fields.has(128)) return 128;
  return message.fields.has(64) ? 64 : null;
}

/** The MAC covers everything before the MAC field, which is the last 16 characters. */
export function macCovered(bytes: Uint8Array): Uint8Array {
  return bytes.subarray(0, bytes.length - 16);
}

/** 2-byte big-endian length framing, the simulator's side. */
export function frameWire(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(message.length + 2);
  out[0] = message.length >> 8;
  out[1] = message.length & 0xff;
  out.set(message, 2);
  return out;
}

/** Collects frames from a byte stream. */
export class WireFrames {
  #buffer = new Uint8Array(0);

  push(chunk: Uint8Array): Uint8Array[] {
    const joined = new Uint8Array(this.#buffer.length + chunk.length);
    joined.set(this.#buffer);
    joined.set(chunk, this.#buffer.length);
    const frames: Uint8Array[] = [];
    let at = 0;
    while (joined.length - at >= 2) {
      const length = (joined[at]! << 8) | joined[at + 1]!;
      if (joined.length - at - 2 < length) break;
      if (length > 0) frames.push(joined.slice(at + 2, at + 2 + length));
      at += 2 + length;
    }
    this.#buffer = joined.slice(at);
    return frames;
  }
}
