/**
 * Creator C/P/N framing for the motorised readers (CRT-310 / CRT-288-K / CRT-591
 * family, protocols.md §3a): `STX F2 | ADDR | LENH LENL | TEXT | ETX 03 | BCC`,
 * LEN = length of TEXT (big-endian), BCC = XOR of every byte from STX to ETX.
 * Single control bytes travel outside frames: ACK, NAK and ENQ.
 */

export const STX = 0xf2;
export const ETX = 0x03;
export const ACK = 0x06;
export const NAK = 0x15;
export const ENQ = 0x05;
/** STX ADDR LENH LENL before the text, ETX BCC after it. */
export const FRAME_OVERHEAD = 6;
/**
 * Longest TEXT accepted. Three ASCII tracks with markers and separators stay under
 * 250 bytes; anything much longer is line noise that happened to contain an STX.
 */
export const MAX_TEXT_LENGTH = 512;

export type FrameErrorKind = 'badStart' | 'truncated' | 'oversized' | 'badEtx' | 'badBcc' | 'trailingBytes';

/** A frame that cannot be accepted; the link answers it like line noise. */
export class CreatorFrameError extends Error {
  override readonly name = 'CreatorFrameError';
  constructor(
    readonly kind: FrameErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface CreatorFrame {
  /** The reader's RS-485/DIP address; 0 on a point-to-point RS-232 link. */
  readonly address: number;
  readonly text: Uint8Array;
}

/** XOR of `bytes[from..to)`. */
export function bcc(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let x = 0;
  for (let i = from; i < to; i++) x ^= bytes[i] as number;
  return x;
}

export function encodeFrame(frame: CreatorFrame): Uint8Array {
  const { address, text } = frame;
  if (!Number.isInteger(address) || address < 0 || address > 0xff) {
    throw new CreatorFrameError('badStart', `address ${address} is not a byte`);
  }
  if (text.length > MAX_TEXT_LENGTH) {
    throw new CreatorFrameError('oversized', `text of ${text.length} bytes exceeds ${MAX_TEXT_LENGTH}`);
  }
  const out = new Uint8Array(text.length + FRAME_OVERHEAD);
  out.set([STX, address, text.length >> 8, text.length & 0xff]);
  out.set(text, 4);
  out[4 + text.length] = ETX;
  out[5 + text.length] = bcc(out, 0, 5 + text.length);
  return out;
}

/**
 * How the bytes at `offset` read as a frame: a complete frame with its total
 * length, `incomplete` when more bytes are needed, or the reason it is not one.
 */
export type FrameScan =
  | { readonly status: 'complete'; readonly frame: CreatorFrame; readonly length: number }
  | { readonly status: 'incomplete' }
  /** `extent` is set when the frame's shape held (only its BCC failed), so all of it can be skipped. */
  | { readonly status: 'invalid'; readonly error: CreatorFrameError; readonly extent?: number };

export function scanFrame(bytes: Uint8Array, offset = 0): FrameScan {
  const invalid = (kind: FrameErrorKind, message: string, extent?: number): FrameScan => ({
    status: 'invalid',
    error: new CreatorFrameError(kind, message),
    ...(extent === undefined ? {} : { extent }),
  });
  if (bytes.length <= offset) return { status: 'incomplete' };
  if (bytes[offset] !== STX) return invalid('badStart', 'frame does not start with STX');
  if (bytes.length < offset + 4) return { status: 'incomplete' };
  const length = ((bytes[offset + 2] as number) << 8) | (bytes[offset + 3] as number);
  if (length > MAX_TEXT_LENGTH) return invalid('oversized', `announced text length ${length} exceeds ${MAX_TEXT_LENGTH}`);
  const total = length + FRAME_OVERHEAD;
  if (bytes.length < offset + total) return { status: 'incomplete' };
  const etxAt = offset + 4 + length;
  if (bytes[etxAt] !== ETX) return invalid('badEtx', 'no ETX after the announced text length');
  if (bcc(bytes, offset, etxAt + 1) !== bytes[etxAt + 1]) return invalid('badBcc', 'block check character mismatch', total);
  return {
    status: 'complete',
    frame: { address: bytes[offset + 1] as number, text: bytes.slice(offset + 4, etxAt) },
    length: total,
  };
}

/** Decodes exactly one whole frame; throws CreatorFrameError otherwise. */
export function decodeFrame(bytes: Uint8Array): CreatorFrame {
  const scan = scanFrame(bytes);
  if (scan.status === 'invalid') throw scan.error;
  if (scan.status === 'incomplete') throw new CreatorFrameError('truncated', `frame truncated at ${bytes.length} bytes`);
  if (scan.length !== bytes.length) {
    throw new CreatorFrameError('trailingBytes', `${bytes.length - scan.length} bytes after the frame`);
  }
  return scan.frame;
}
