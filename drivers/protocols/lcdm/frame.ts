/**
 * Puloon LCDM-4000 framing (protocols.md §1b, same layout as §1a with ID 0x30):
 * host → device `EOT 04 | ID 30 | STX 02 | CMD | DATA… | ETX 03 | BCC`,
 * device → host `SOH 01 | ID 30 | STX 02 | CMD | DATA… | ETX 03 | BCC`,
 * BCC = XOR of every byte from the first (EOT or SOH) to ETX. Frames carry no
 * length: DATA is printable (counts are `n + 0x20`, text is ASCII), so the
 * first ETX ends it. ACK, NAK and EOT also travel alone as link control.
 */

export const SOH = 0x01;
export const STX = 0x02;
export const ETX = 0x03;
export const EOT = 0x04;
export const ACK = 0x06;
export const NAK = 0x15;
export const LCDM_ID = 0x30;
/** Longest DATA accepted: a 1024-byte token or a 100-note transaction record fits. */
export const MAX_DATA_LENGTH = 2048;

export type FrameDirection = 'command' | 'reply';
export type LcdmFrameErrorKind = 'badStart' | 'badHeader' | 'truncated' | 'oversized' | 'badData' | 'badBcc' | 'trailingBytes';

export class LcdmFrameError extends Error {
  override readonly name = 'LcdmFrameError';
  constructor(
    readonly kind: LcdmFrameErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface LcdmFrame {
  readonly direction: FrameDirection;
  readonly cmd: number;
  readonly data: Uint8Array;
}

const START: Readonly<Record<FrameDirection, number>> = { command: EOT, reply: SOH };

/** XOR of `bytes[from..to)`. */
export function bcc(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let x = 0;
  for (let i = from; i < to; i++) x ^= bytes[i] as number;
  return x;
}

export function encodeFrame(frame: LcdmFrame): Uint8Array {
  const { cmd, data } = frame;
  if (!Number.isInteger(cmd) || cmd < 0x20 || cmd > 0x7e) throw new LcdmFrameError('badHeader', `command 0x${cmd.toString(16)} is not printable`);
  if (data.length > MAX_DATA_LENGTH) throw new LcdmFrameError('oversized', `${data.length} data bytes exceed ${MAX_DATA_LENGTH}`);
  if (data.some((b) => b < 0x20)) throw new LcdmFrameError('badData', 'data bytes must be ≥ 0x20');
  const out = new Uint8Array(data.length + 6);
  out.set([START[frame.direction], LCDM_ID, STX, cmd]);
  out.set(data, 4);
  out[4 + data.length] = ETX;
  out[5 + data.length] = bcc(out, 0, 5 + data.length);
  return out;
}

export type FrameScan =
  | { readonly status: 'complete'; readonly frame: LcdmFrame; readonly length: number }
  | { readonly status: 'incomplete' }
  /** `extent` is set when only the BCC failed, so the whole frame can be skipped. */
  | { readonly status: 'invalid'; readonly error: LcdmFrameError; readonly extent?: number };

/** Reads the bytes at `offset` as one frame of `direction`. */
export function scanFrame(bytes: Uint8Array, direction: FrameDirection, offset = 0): FrameScan {
  const invalid = (kind: LcdmFrameErrorKind, message: string): Extract<FrameScan, { status: 'invalid' }> => ({
    status: 'invalid',
    error: new LcdmFrameError(kind, message),
  });
  if (bytes.length <= offset) return { status: 'incomplete' };
  if (bytes[offset] !== START[direction]) return invalid('badStart', `frame does not start with 0x${START[direction].toString(16)}`);
  for (const [i, want] of [[1, LCDM_ID], [2, STX]] as const) {
    if (bytes.length <= offset + i) return { status: 'incomplete' };
    if (bytes[offset + i] !== want) return invalid('badHeader', `byte ${i} is not 0x${want.toString(16)}`);
  }
  if (bytes.length <= offset + 3) return { status: 'incomplete' };
  const cmd = bytes[offset + 3] as number;
  if (cmd < 0x20 || cmd > 0x7e) return invalid('badHeader', 'command byte is not printable');
  let etx = offset + 4;
  for (; etx < bytes.length; etx++) {
    const b = bytes[etx] as number;
    if (b === ETX) break;
    if (b < 0x20) return invalid('badData', 'control byte inside the data');
    if (etx - offset - 4 >= MAX_DATA_LENGTH) return invalid('oversized', `no ETX within ${MAX_DATA_LENGTH} data bytes`);
  }
  if (etx + 1 >= bytes.length) return { status: 'incomplete' };
  const length = etx + 2 - offset;
  if (bcc(bytes, offset, etx + 1) !== bytes[etx + 1]) {
    // A frame cut before its BCC would take the next frame's SOH as its BCC: leave that SOH to be scanned.
    const extent = bytes[etx + 1] === START[direction] ? length - 1 : length;
    return { ...invalid('badBcc', 'block check character mismatch'), extent };
  }
  return { status: 'complete', frame: { direction, cmd, data: bytes.slice(offset + 4, etx) }, length };
}

/** Decodes exactly one whole frame; throws LcdmFrameError otherwise. */
export function decodeFrame(bytes: Uint8Array, direction: FrameDirection): LcdmFrame {
  const scan = scanFrame(bytes, direction);
  if (scan.status === 'invalid') throw scan.error;
  if (scan.status === 'incomplete') throw new LcdmFrameError('truncated', `frame truncated at ${bytes.length} bytes`);
  if (scan.length !== bytes.length) throw new LcdmFrameError('trailingBytes', `${bytes.length - scan.length} bytes after the frame`);
  return scan.frame;
}
