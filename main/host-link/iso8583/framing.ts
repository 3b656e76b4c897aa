import { IsoFormatError } from './errors.js';

/** What a 2-byte length can say. */
const MAX_FRAME = 0xffff;
const HEADER = 2;

/** Prefixes the 2-byte big-endian length (excluding itself) that Postilion-style hosts and ATMPs expect. */
export function frame(message: Uint8Array): Uint8Array {
  if (message.length > MAX_FRAME) throw new IsoFormatError('oversized', undefined, `${message.length} bytes`);
  const out = new Uint8Array(HEADER + message.length);
  out[0] = message.length >> 8;
  out[1] = message.length & 0xff;
  out.set(message, HEADER);
  return out;
}

export interface FrameDecoderOptions {
  /** Largest message accepted; a longer announced length is `oversized`. Default 8192. */
  readonly maxLength?: number;
}

/**
 * Reassembles 2-byte-length frames from arbitrary chunks (split headers, several frames per chunk).
 * Each byte is copied once, into the message it belongs to. An announced length over `maxLength`
 * throws `oversized` and the decoder stays failed: the stream has lost sync and the link must be
 * dropped. Zero-length frames are skipped (some hosts send them as keep-alives).
 */
export class FrameDecoder {
  readonly #maxLength: number;
  /** First length byte while the second has not arrived yet, else -1. */
  #pendingHigh = -1;
  #body: Uint8Array | null = null;
  #filled = 0;
  #failure: IsoFormatError | null = null;

  constructor(options: FrameDecoderOptions = {}) {
    this.#maxLength = Math.min(options.maxLength ?? 8192, MAX_FRAME);
  }

  /** Feeds one chunk; returns the messages it completed, in order, without their length prefix. */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.#failure !== null) throw this.#failure;
    const done: Uint8Array[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      const body = this.#body;
      if (body === null) {
        if (this.#pendingHigh < 0 && chunk.length - pos === 1) {
          this.#pendingHigh = chunk[pos++]!;
          break;
        }
        const high = this.#pendingHigh < 0 ? chunk[pos++]! : this.#pendingHigh;
        const length = (high << 8) | chunk[pos++]!;
        this.#pendingHigh = -1;
        if (length > this.#maxLength) {
          this.#failure = new IsoFormatError('oversized', undefined, `frame of ${length} bytes, limit ${this.#maxLength}`);
          throw this.#failure;
        }
        if (length > 0) {
          this.#body = new Uint8Array(length);
          this.#filled = 0;
        }
        continue;
      }
      const take = Math.min(body.length - this.#filled, chunk.length - pos);
      body.set(chunk.subarray(pos, pos + take), this.#filled);
      this.#filled += take;
      pos += take;
      if (this.#filled === body.length) {
        done.push(body);
        this.#body = null;
      }
    }
    return done;
  }

  /** True when no partial frame is buffered (a clean point to close the link). */
  get idle(): boolean {
    return this.#body === null && this.#pendingHigh < 0;
  }
}
