/**
 * Zhengtong (SZZT) ZT588 EPP framing, protocols.md §5a:
 * `STX 02 | LLL | TEXT | ETX 03 | CC` where LLL is len(TEXT) as three ASCII
 * decimal digits and CC is XOR(LLL..ETX) written as two upper-case ASCII hex
 * digits. Key presses travel as bare bytes outside frames.
 */

export const STX = 0x02;
export const ETX = 0x03;
/** STX + LLL before the text, ETX + CC after it. */
export const FRAME_OVERHEAD = 7;
/** LLL has three decimal digits. */
export const MAX_TEXT_LENGTH = 999;

export type FrameErrorKind = 'badStart' | 'badLength' | 'tooLong' | 'truncated' | 'badEtx' | 'badChecksum' | 'interrupted';

/** A frame that cannot be accepted. `kind` tells the link whether it was damaged (worth a resend) or noise. */
export class Zt588FrameError extends Error {
  override readonly name = 'Zt588FrameError';
  constructor(
    readonly kind: FrameErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** XOR of `bytes[from..to)`. */
export function xorChecksum(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let x = 0;
  for (let i = from; i < to; i++) x ^= bytes[i] as number;
  return x;
}

const HEX = '0123456789ABCDEF';

/** The two ASCII hex digits of a checksum byte. */
export function checksumChars(value: number): [number, number] {
  return [HEX.charCodeAt(value >> 4), HEX.charCodeAt(value & 0x0f)];
}

/** ASCII text as bytes; frame text is always 7-bit in hex mode. */
export function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

export function textOf(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

export function encodeFrame(text: Uint8Array): Uint8Array {
  if (text.length > MAX_TEXT_LENGTH) {
    throw new Zt588FrameError('tooLong', `text of ${text.length} bytes does not fit LLL`);
  }
  const out = new Uint8Array(text.length + FRAME_OVERHEAD);
  out[0] = STX;
  out.set(ascii(String(text.length).padStart(3, '0')), 1);
  out.set(text, 4);
  out[4 + text.length] = ETX;
  out.set(checksumChars(xorChecksum(out, 1, 5 + text.length)), 5 + text.length);
  return out;
}

/** The text length announced by `LLL` at `bytes[1..4)`, or undefined when those are not three decimal digits. */
export function announcedLength(bytes: Uint8Array): number | undefined {
  let n = 0;
  for (let i = 1; i < 4; i++) {
    const b = bytes[i];
    if (b === undefined || b < 0x30 || b > 0x39) return undefined;
    n = n * 10 + (b - 0x30);
  }
  return n;
}

/** Checks one complete frame (STX … CC) and returns its text. */
export function decodeFrame(frame: Uint8Array): Uint8Array {
  if (frame[0] !== STX) throw new Zt588FrameError('badStart', 'frame does not start with STX');
  if (frame.length < FRAME_OVERHEAD) throw new Zt588FrameError('truncated', `frame of ${frame.length} bytes is too short`);
  const length = announcedLength(frame);
  if (length === undefined) throw new Zt588FrameError('badLength', 'LLL is not three decimal digits');
  if (frame.length !== length + FRAME_OVERHEAD) {
    throw new Zt588FrameError('truncated', `LLL announces ${length} text bytes, frame holds ${frame.length - FRAME_OVERHEAD}`);
  }
  const etxAt = 4 + length;
  if (frame[etxAt] !== ETX) throw new Zt588FrameError('badEtx', 'no ETX after the text');
  const [hi, lo] = checksumChars(xorChecksum(frame, 1, etxAt + 1));
  if (frame[etxAt + 1] !== hi || frame[etxAt + 2] !== lo) throw new Zt588FrameError('badChecksum', 'checksum mismatch');
  return frame.slice(4, etxAt);
}
