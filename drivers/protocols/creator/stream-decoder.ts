import { ACK, CreatorFrameError, ENQ, NAK, STX, scanFrame, type CreatorFrame } from './frame.js';

/** What the byte stream carries: link control bytes, frames, and frames refused. */
export type LinkToken =
  | { readonly type: 'ack' }
  | { readonly type: 'nak' }
  | { readonly type: 'enq' }
  | { readonly type: 'frame'; readonly frame: CreatorFrame }
  | { readonly type: 'rejected'; readonly error: CreatorFrameError };

const CONTROL: ReadonlyMap<number, LinkToken> = new Map([
  [ACK, { type: 'ack' }],
  [NAK, { type: 'nak' }],
  [ENQ, { type: 'enq' }],
]);

/**
 * Turns arbitrary chunks (split or merged frames, line noise) into link tokens.
 * Bytes outside a frame that are not control bytes are skipped; a frame that
 * fails its checks is reported as `rejected`; scanning resumes after it when only
 * its BCC failed (its shape held, and its damaged text must not be read as
 * control bytes) unless a whole frame starts inside it, else at the byte after
 * its STX, so the next real frame is found. An incomplete candidate
 * is given up as soon as a whole frame (valid, or whole but failing its BCC)
 * starts later in the buffer, so a stray STX cannot swallow the answer after it.
 */
export class CreatorStreamDecoder {
  private buffer = new Uint8Array(0);
  private dropped = 0;

  /** Noise bytes skipped since construction (for diagnostics). */
  get droppedBytes(): number {
    return this.dropped;
  }

  /** Forgets a partial frame, e.g. when a new exchange starts. */
  reset(): void {
    this.buffer = new Uint8Array(0);
  }

  push(chunk: Uint8Array): LinkToken[] {
    const merged = new Uint8Array(this.buffer.length + chunk.length);
    merged.set(this.buffer);
    merged.set(chunk, this.buffer.length);
    const tokens: LinkToken[] = [];
    let at = 0;
    while (at < merged.length) {
      const byte = merged[at] as number;
      const control = CONTROL.get(byte);
      if (control) {
        tokens.push(control);
        at += 1;
        continue;
      }
      if (byte !== STX) {
        this.dropped += 1;
        at += 1;
        continue;
      }
      const scan = scanFrame(merged, at);
      if (scan.status === 'complete') {
        tokens.push({ type: 'frame', frame: scan.frame });
        at += scan.length;
      } else if (scan.status === 'invalid') {
        tokens.push({ type: 'rejected', error: scan.error });
        // A corrupted length can make a damaged frame appear to enclose the next real one.
        const inside = scan.extent === undefined ? undefined : laterWholeFrame(merged, at + 1, at + scan.extent);
        at = inside ?? at + (scan.extent ?? 1);
      } else {
        const later = laterWholeFrame(merged, at + 1);
        if (later === undefined) break;
        tokens.push({
          type: 'rejected',
          error: new CreatorFrameError('truncated', 'frame cut short by the next frame'),
        });
        at = later;
      }
    }
    this.buffer = merged.slice(at);
    return tokens;
  }
}

/** The first STX in `[from, until)` that starts a whole frame (valid or failing only its BCC). */
function laterWholeFrame(bytes: Uint8Array, from: number, until = bytes.length): number | undefined {
  for (let i = bytes.indexOf(STX, from); i !== -1 && i < until; i = bytes.indexOf(STX, i + 1)) {
    const scan = scanFrame(bytes, i);
    if (scan.status === 'complete' || (scan.status === 'invalid' && scan.extent !== undefined)) return i;
  }
  return undefined;
}
