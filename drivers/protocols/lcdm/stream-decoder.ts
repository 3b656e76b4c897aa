import { ACK, EOT, LcdmFrameError, NAK, SOH, scanFrame, type LcdmFrame } from './frame.js';

/** What the host reads from the dispenser: link control bytes, reply frames, damaged frames. */
export type LcdmToken =
  | { readonly type: 'ack' }
  | { readonly type: 'nak' }
  | { readonly type: 'eot' }
  | { readonly type: 'frame'; readonly frame: LcdmFrame }
  | { readonly type: 'rejected'; readonly error: LcdmFrameError };

const CONTROL: ReadonlyMap<number, LcdmToken> = new Map([
  [ACK, { type: 'ack' }],
  [NAK, { type: 'nak' }],
  [EOT, { type: 'eot' }],
]);

/**
 * Turns arbitrary chunks from the dispenser into tokens. Noise outside a frame
 * is skipped; a frame that fails its checks is reported as `rejected` and
 * scanning resumes after it (BCC failure) or at the byte after its SOH, so the
 * next real frame is found. A candidate that never completes is abandoned as
 * soon as a complete frame starts later in the buffer.
 */
export class LcdmReplyDecoder {
  private buffer = new Uint8Array(0);

  reset(): void {
    this.buffer = new Uint8Array(0);
  }

  push(chunk: Uint8Array): LcdmToken[] {
    const merged = new Uint8Array(this.buffer.length + chunk.length);
    merged.set(this.buffer);
    merged.set(chunk, this.buffer.length);
    const tokens: LcdmToken[] = [];
    let at = 0;
    while (at < merged.length) {
      const byte = merged[at] as number;
      const control = CONTROL.get(byte);
      if (control) {
        tokens.push(control);
        at += 1;
        continue;
      }
      if (byte !== SOH) {
        at += 1;
        continue;
      }
      const scan = scanFrame(merged, 'reply', at);
      if (scan.status === 'complete') {
        tokens.push({ type: 'frame', frame: scan.frame });
        at += scan.length;
      } else if (scan.status === 'invalid') {
        tokens.push({ type: 'rejected', error: scan.error });
        at += scan.extent ?? 1;
      } else {
        const later = laterCompleteFrame(merged, at + 1);
        if (later === undefined) break;
        tokens.push({ type: 'rejected', error: new LcdmFrameError('truncated', 'frame cut short by the next frame') });
        at = later;
      }
    }
    this.buffer = merged.slice(at);
    return tokens;
  }
}

function laterCompleteFrame(bytes: Uint8Array, from: number): number | undefined {
  for (let i = bytes.indexOf(SOH, from); i !== -1; i = bytes.indexOf(SOH, i + 1)) {
    if (scanFrame(bytes, 'reply', i).status === 'complete') return i;
  }
  return undefined;
}
