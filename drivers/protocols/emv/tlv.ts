import { concatBytes, fromHex, toHex } from './hex.js';

/*
 * BER-TLV as EMV uses it (EMV Book 3 Annex B, ISO/IEC 8825-1 subset):
 * tags of one to four bytes, definite lengths of up to four length bytes,
 * constructed templates decoded recursively, 00/FF padding between objects.
 */

export type TlvErrorCode =
  | 'truncatedTag'
  | 'tagTooLong'
  | 'truncatedLength'
  | 'indefiniteLength'
  | 'lengthTooLong'
  | 'truncatedValue'
  | 'tooDeep'
  | 'badTag';

/** The only error the TLV codec throws; callers switch on `code`. */
export class TlvError extends Error {
  override readonly name = 'TlvError';
  constructor(
    readonly code: TlvErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A decoded data object. `tag` is uppercase hex ("9F26"); `children` only for constructed tags. */
export interface Tlv {
  readonly tag: string;
  readonly value: Uint8Array;
  readonly children?: readonly Tlv[];
}

/** What the encoder takes: a primitive value or a template of further objects. */
export type TlvInput = { readonly tag: string; readonly value: Uint8Array } | { readonly tag: string; readonly children: readonly TlvInput[] };

const MAX_TAG_BYTES = 4;
const MAX_LENGTH_BYTES = 4;
/** Real EMV templates nest three or four deep; the cap keeps hostile input off the stack. */
const MAX_DEPTH = 16;

/** Bit 6 of the first tag byte marks a constructed object. */
export function isConstructed(tag: string): boolean {
  return (Number.parseInt(tag.slice(0, 2), 16) & 0x20) !== 0;
}

/** Reads a tag at `offset`; returns its hex and the offset after it. */
export function readTag(bytes: Uint8Array, offset: number): { tag: string; next: number } {
  const first = bytes[offset];
  if (first === undefined) throw new TlvError('truncatedTag', `tag expected at ${offset}`);
  let end = offset + 1;
  if ((first & 0x1f) === 0x1f) {
    // Subsequent bytes carry bit 8 while more follow.
    for (;;) {
      const b = bytes[end];
      if (b === undefined) throw new TlvError('truncatedTag', `tag at ${offset} runs past the end`);
      end += 1;
      if (end - offset > MAX_TAG_BYTES) throw new TlvError('tagTooLong', `tag at ${offset} is longer than ${MAX_TAG_BYTES} bytes`);
      if ((b & 0x80) === 0) break;
    }
  }
  return { tag: toHex(bytes.subarray(offset, end)), next: end };
}

/** Reads a definite length at `offset`; returns it and the offset after it. */
export function readLength(bytes: Uint8Array, offset: number): { length: number; next: number } {
  const first = bytes[offset];
  if (first === undefined) throw new TlvError('truncatedLength', `length expected at ${offset}`);
  if (first < 0x80) return { length: first, next: offset + 1 };
  if (first === 0x80) throw new TlvError('indefiniteLength', `indefinite length at ${offset} is not allowed in EMV`);
  const count = first & 0x7f;
  if (count > MAX_LENGTH_BYTES) throw new TlvError('lengthTooLong', `${count} length bytes at ${offset}`);
  if (offset + 1 + count > bytes.length) throw new TlvError('truncatedLength', `length at ${offset} runs past the end`);
  let length = 0;
  for (let i = 1; i <= count; i++) length = length * 256 + (bytes[offset + i] as number);
  return { length, next: offset + 1 + count };
}

/** Decodes a sequence of data objects (a record, a template's contents, a DE55). */
export function decodeTlv(bytes: Uint8Array): Tlv[] {
  return decodeLevel(bytes, 0);
}

function decodeLevel(bytes: Uint8Array, depth: number): Tlv[] {
  if (depth > MAX_DEPTH) throw new TlvError('tooDeep', `templates nested deeper than ${MAX_DEPTH}`);
  const out: Tlv[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const b = bytes[offset];
    if (b === 0x00 || b === 0xff) {
      offset += 1; // padding between objects (Book 3 Annex B)
      continue;
    }
    const { tag, next } = readTag(bytes, offset);
    const { length, next: valueStart } = readLength(bytes, next);
    const end = valueStart + length;
    if (end > bytes.length) {
      throw new TlvError('truncatedValue', `tag ${tag} needs ${length} bytes, ${bytes.length - valueStart} left`);
    }
    const value = bytes.slice(valueStart, end);
    out.push(isConstructed(tag) ? { tag, value, children: decodeLevel(value, depth + 1) } : { tag, value });
    offset = end;
  }
  return out;
}

function encodeTag(tag: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = fromHex(tag);
  } catch {
    throw new TlvError('badTag', `tag "${tag}" is not hex`);
  }
  const parsed = bytes.length > 0 ? safeReadTag(bytes) : undefined;
  if (parsed?.next !== bytes.length) throw new TlvError('badTag', `"${tag}" is not one well-formed BER tag`);
  // 00 and FF between objects are padding to the decoder, so no tag may start with them.
  if (bytes[0] === 0x00 || bytes[0] === 0xff) throw new TlvError('badTag', `tag "${tag}" would read as padding`);
  return bytes;
}

function safeReadTag(bytes: Uint8Array): { next: number } | undefined {
  try {
    return readTag(bytes, 0);
  } catch {
    return undefined;
  }
}

/** Minimal definite length: short form below 128, else 81/82/83/84 and the bytes. */
export function encodeLength(length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > 0xffffffff) {
    throw new TlvError('lengthTooLong', `length ${length} cannot be encoded`);
  }
  if (length < 0x80) return Uint8Array.of(length);
  const digits: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) digits.unshift(n % 256);
  return Uint8Array.of(0x80 | digits.length, ...digits);
}

function encodeOne(item: TlvInput): Uint8Array {
  const tag = encodeTag(item.tag);
  const constructed = isConstructed(item.tag);
  if ('children' in item) {
    if (!constructed) throw new TlvError('badTag', `primitive tag ${item.tag} given children`);
    const value = encodeTlv(item.children);
    return concatBytes([tag, encodeLength(value.length), value]);
  }
  return concatBytes([tag, encodeLength(item.value.length), item.value]);
}

/** Encodes data objects in the given order. */
export function encodeTlv(items: readonly TlvInput[]): Uint8Array {
  return concatBytes(items.map(encodeOne));
}

/** Depth-first search for the first object with `tag`. */
export function findTlv(items: readonly Tlv[], tag: string): Tlv | undefined {
  const wanted = tag.toUpperCase();
  for (const item of items) {
    if (item.tag === wanted) return item;
    const inner = item.children ? findTlv(item.children, wanted) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

/** Every primitive object, flattened out of its templates; a later duplicate does not replace the first. */
export function collectPrimitives(items: readonly Tlv[], into: Map<string, Uint8Array> = new Map()): Map<string, Uint8Array> {
  for (const item of items) {
    if (item.children) collectPrimitives(item.children, into);
    else if (!into.has(item.tag)) into.set(item.tag, item.value);
  }
  return into;
}
