import { FRAME_OVERHEAD, STX, Zt588FrameError, announcedLength, decodeFrame } from './frame.js';

/**
 * What the byte stream from the EPP carries: checked frames (command replies),
 * bare bytes outside frames (key reports, or line noise — the key decoder tells
 * them apart), and frames that had to be thrown away.
 */
export type Zt588Token =
  | { readonly type: 'frame'; readonly text: Uint8Array }
  | { readonly type: 'byte'; readonly byte: number }
  | { readonly type: 'rejected'; readonly error: Zt588FrameError };

/**
 * Splits arbitrary chunks into tokens. A damaged frame is dropped whole (its
 * bytes never become key reports); a header that is not `STX ddd` drops what was
 * read of it; an STX inside a frame's text means that frame was cut short and a
 * new one starts there — text is ASCII in hex mode and never holds STX.
 */
export class Zt588StreamDecoder {
  private frame: number[] | undefined;
  private expected = 0;

  push(chunk: Uint8Array): Zt588Token[] {
    const tokens: Zt588Token[] = [];
    for (const byte of chunk) {
      if (this.frame === undefined) {
        if (byte === STX) this.begin();
        else tokens.push({ type: 'byte', byte });
        continue;
      }
      if (byte === STX) {
        tokens.push(reject('interrupted', 'a new frame started inside the previous one'));
        this.begin();
        continue;
      }
      this.frame.push(byte);
      if (this.frame.length === 4) {
        const length = announcedLength(Uint8Array.from(this.frame));
        if (length === undefined) {
          tokens.push(reject('badLength', 'LLL is not three decimal digits'));
          this.frame = undefined;
          continue;
        }
        this.expected = length + FRAME_OVERHEAD;
      }
      if (this.frame.length === this.expected) {
        tokens.push(this.finish(Uint8Array.from(this.frame)));
        this.frame = undefined;
      }
    }
    return tokens;
  }

  /** Forgets a partial frame (the link calls this before resending). */
  reset(): void {
    this.frame = undefined;
  }

  private begin(): void {
    this.frame = [STX];
    this.expected = FRAME_OVERHEAD;
  }

  private finish(bytes: Uint8Array): Zt588Token {
    try {
      return { type: 'frame', text: decodeFrame(bytes) };
    } catch (err) {
      if (err instanceof Zt588FrameError) return { type: 'rejected', error: err };
      throw err;
    }
  }
}

function reject(kind: 'interrupted' | 'badLength', message: string): Zt588Token {
  return { type: 'rejected', error: new Zt588FrameError(kind, message) };
}
