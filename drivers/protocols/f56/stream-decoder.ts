import { ACK, DLE, ENQ, F56FrameError, NAK, STX, scanFrame } from './frame.js';

export type F56Token =
  | { readonly type: 'enq' }
  | { readonly type: 'ack' }
  | { readonly type: 'nak' }
  | { readonly type: 'frame'; readonly data: Uint8Array }
  | { readonly type: 'rejected'; readonly error: F56FrameError };

const CONTROL: ReadonlyMap<number, F56Token> = new Map([
  [ENQ, { type: 'enq' }],
  [ACK, { type: 'ack' }],
  [NAK, { type: 'nak' }],
]);

/**
 * Chunks from either side of the F56 link → tokens. Bytes outside a frame that
 * do not start a `DLE x` pair are noise; a damaged frame is reported and
 * skipped whole when its end was found (CRC, length) unless a complete frame
 * starts inside it, else from its DLE on; a
 * candidate that never ends is abandoned once a complete frame follows it.
 */
export class F56StreamDecoder {
  private buffer = new Uint8Array(0);

  reset(): void {
    this.buffer = new Uint8Array(0);
  }

  push(chunk: Uint8Array): F56Token[] {
    const merged = new Uint8Array(this.buffer.length + chunk.length);
    merged.set(this.buffer);
    merged.set(chunk, this.buffer.length);
    const tokens: F56Token[] = [];
    let at = 0;
    while (at < merged.length) {
      if (merged[at] !== DLE) {
        at += 1;
        continue;
      }
      if (at + 1 >= merged.length) break;
      const next = merged[at + 1] as number;
      const control = CONTROL.get(next);
      if (control) {
        tokens.push(control);
        at += 2;
        continue;
      }
      if (next !== STX) {
        at += 1;
        continue;
      }
      const scan = scanFrame(merged, at);
      if (scan.status === 'complete') {
        tokens.push({ type: 'frame', data: scan.data });
        at += scan.length;
      } else if (scan.status === 'invalid') {
        tokens.push({ type: 'rejected', error: scan.error });
        // A cut-off frame can swallow the next one through its DLE: resume at a complete frame inside it.
        const inside = scan.extent === undefined ? undefined : laterCompleteFrame(merged, at + 1);
        at = inside !== undefined && inside < at + (scan.extent ?? 1) ? inside : at + (scan.extent ?? 1);
      } else {
        const later = laterCompleteFrame(merged, at + 1);
        if (later === undefined) break;
        tokens.push({ type: 'rejected', error: new F56FrameError('truncated', 'frame cut short by the next frame') });
        at = later;
      }
    }
    this.buffer = merged.slice(at);
    return tokens;
  }
}

function laterCompleteFrame(bytes: Uint8Array, from: number): number | undefined {
  for (let i = bytes.indexOf(DLE, from); i !== -1; i = bytes.indexOf(DLE, i + 1)) {
    if (bytes[i + 1] === STX && scanFrame(bytes, i).status === 'complete') return i;
  }
  return undefined;
}
