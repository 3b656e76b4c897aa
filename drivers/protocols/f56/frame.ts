import { crc16Kermit } from './crc.js';

/**
 * Fujitsu F56 link framing (protocols.md §1c): `DLE STX | LEN(2, BE) | DATA |
 * DLE ETX | CRC-16/KERMIT (LE)`, the CRC over LEN..DATA plus DLE ETX (the
 * document's example `10 02 00 03 00 01 1C 10 03 FA 97` checks that way).
 * Inside LEN and DATA a 0x10 byte is sent twice (DLE stuffing; the document
 * is silent, this is the usual DLE convention); the CRC covers the unstuffed
 * bytes and is not stuffed. Link control travels as `DLE ENQ`, `DLE ACK`, `DLE NAK`.
 */
export const DLE = 0x10;
export const STX = 0x02;
export const ETX = 0x03;
export const ENQ = 0x05;
export const ACK = 0x06;
export const NAK = 0x15;
/** DATA ends with FS. */
export const FS = 0x1c;
export const MAX_DATA_LENGTH = 2048;

export type F56FrameErrorKind = 'badStart' | 'badStuffing' | 'badLength' | 'oversized' | 'badCrc' | 'truncated' | 'trailingBytes';

export class F56FrameError extends Error {
  override readonly name = 'F56FrameError';
  constructor(
    readonly kind: F56FrameErrorKind,
    message: string,
  ) {
    super(message);
  }
}

function stuff(bytes: readonly number[]): number[] {
  return bytes.flatMap((b) => (b === DLE ? [DLE, DLE] : [b]));
}

export function encodeFrame(data: Uint8Array): Uint8Array {
  if (data.length > MAX_DATA_LENGTH) throw new F56FrameError('oversized', `${data.length} bytes exceed ${MAX_DATA_LENGTH}`);
  const plain = Uint8Array.from([data.length >> 8, data.length & 0xff, ...data, DLE, ETX]);
  const crc = crc16Kermit(plain);
  return Uint8Array.from([DLE, STX, ...stuff([...plain.subarray(0, -2)]), DLE, ETX, crc & 0xff, crc >> 8]);
}

export type FrameScan =
  | { readonly status: 'complete'; readonly data: Uint8Array; readonly length: number }
  | { readonly status: 'incomplete' }
  | { readonly status: 'invalid'; readonly error: F56FrameError; readonly extent?: number };

/** Reads the bytes at `offset` (a `DLE STX`) as one frame. */
export function scanFrame(bytes: Uint8Array, offset = 0): FrameScan {
  const invalid = (kind: F56FrameErrorKind, message: string, extent?: number): FrameScan => ({
    status: 'invalid',
    error: new F56FrameError(kind, message),
    ...(extent === undefined ? {} : { extent }),
  });
  if (bytes.length < offset + 2) return { status: 'incomplete' };
  if (bytes[offset] !== DLE || bytes[offset + 1] !== STX) return invalid('badStart', 'frame does not start with DLE STX');
  const plain: number[] = [];
  let at = offset + 2;
  for (;;) {
    if (at >= bytes.length) return { status: 'incomplete' };
    const b = bytes[at] as number;
    if (b !== DLE) {
      plain.push(b);
      at += 1;
    } else {
      if (at + 1 >= bytes.length) return { status: 'incomplete' };
      const next = bytes[at + 1] as number;
      if (next === DLE) plain.push(DLE);
      else if (next === ETX) break;
      else return invalid('badStuffing', `DLE followed by 0x${next.toString(16)} inside a frame`);
      at += 2;
    }
    if (plain.length > MAX_DATA_LENGTH + 2) return invalid('oversized', `no DLE ETX within ${MAX_DATA_LENGTH} bytes`);
  }
  if (at + 4 > bytes.length) return { status: 'incomplete' };
  const length = at + 4 - offset;
  if (plain.length < 2) return invalid('badLength', 'no length field', length);
  const announced = ((plain[0] as number) << 8) | (plain[1] as number);
  if (announced !== plain.length - 2) return invalid('badLength', `LEN ${announced} but ${plain.length - 2} data bytes`, length);
  const crc = crc16Kermit(Uint8Array.from([...plain, DLE, ETX]));
  const sent = (bytes[at + 2] as number) | ((bytes[at + 3] as number) << 8);
  // A frame cut inside its CRC would take the next DLE as CRC: leave a DLE there to be scanned.
  if (crc !== sent) return invalid('badCrc', 'CRC mismatch', bytes[at + 2] === DLE || bytes[at + 3] === DLE ? length - 2 : length);
  return { status: 'complete', data: Uint8Array.from(plain.slice(2)), length };
}

export function decodeFrame(bytes: Uint8Array): Uint8Array {
  const scan = scanFrame(bytes);
  if (scan.status === 'invalid') throw scan.error;
  if (scan.status === 'incomplete') throw new F56FrameError('truncated', `frame truncated at ${bytes.length} bytes`);
  if (scan.length !== bytes.length) throw new F56FrameError('trailingBytes', `${bytes.length - scan.length} bytes after the frame`);
  return scan.data;
}
