/** What the byte at an offset begins, in one protocol's stream. */
export type Lead<T> =
  | { readonly kind: 'control'; readonly token: T; readonly length: number }
  | { readonly kind: 'frame' }
  | { readonly kind: 'noise' }
  /** Too few bytes to tell: wait for the next chunk. */
  | { readonly kind: 'wait' };

export const FRAME_LEAD: Lead<never> = { kind: 'frame' };
export const NOISE_LEAD: Lead<never> = { kind: 'noise' };
export const WAIT_LEAD: Lead<never> = { kind: 'wait' };

/** What a protocol's `scanFrame` answers for the bytes at an offset, whatever its frame `F`. */
export type CodecScan<F, E> =
  | ({ readonly status: 'complete'; readonly length: number } & F)
  | { readonly status: 'incomplete' }
  /** `extent` is set when the damaged frame's end was found, so all of it can be skipped. */
  | { readonly status: 'invalid'; readonly error: E; readonly extent?: number };

/** One protocol's stream, for `ResyncDecoder`: the codec stays in the protocol's folder. */
export interface StreamGrammar<T, F, E> {
  lead(bytes: Uint8Array, at: number): Lead<T>;
  /** Reads the frame that `lead` said starts at `at`. */
  scan(bytes: Uint8Array, at: number): CodecScan<F, E>;
  frame(scan: F): T;
  rejected(error: E): T;
  /** The error for a candidate given up because a whole frame starts after it. */
  cutShort(): E;
  /**
   * Whether a damaged frame whose end was found counts as a frame to resync on
   * (so a stray start byte cannot swallow an answer that then fails its check);
   * otherwise only a complete frame does.
   */
  readonly resyncOnDamaged: boolean;
}

/** The lead of a protocol whose control tokens are single bytes and whose frames begin with `start`. */
export function singleByteLead<T>(
  control: ReadonlyMap<number, T>,
  start: number,
): StreamGrammar<T, unknown, unknown>['lead'] {
  return (bytes, at) => {
    const byte = bytes[at] as number;
    const token = control.get(byte);
    if (token !== undefined) return { kind: 'control', token, length: 1 };
    return byte === start ? FRAME_LEAD : NOISE_LEAD;
  };
}

/**
 * Turns arbitrary chunks (split or merged frames, line noise) into tokens.
 * Bytes that begin neither a control token nor a frame are skipped; a damaged
 * frame is reported as its codec's rejection and skipped whole when its end
 * was found, unless a whole frame starts inside it (a corrupted length can
 * make it enclose the next real one), else from the byte after its start; a
 * candidate that never completes is given up as soon as a whole frame starts
 * later in the buffer.
 */
export class ResyncDecoder<T, F, E> {
  private buffer = new Uint8Array(0);
  private dropped = 0;

  constructor(private readonly grammar: StreamGrammar<T, F, E>) {}

  /** Noise bytes skipped since construction (for diagnostics). */
  get droppedBytes(): number {
    return this.dropped;
  }

  /** Forgets a partial frame, e.g. when a new exchange starts. */
  reset(): void {
    this.buffer = new Uint8Array(0);
  }

  push(chunk: Uint8Array): T[] {
    const merged = new Uint8Array(this.buffer.length + chunk.length);
    merged.set(this.buffer);
    merged.set(chunk, this.buffer.length);
    const tokens: T[] = [];
    let at = 0;
    while (at < merged.length) {
      const lead = this.grammar.lead(merged, at);
      if (lead.kind === 'wait') break;
      if (lead.kind === 'control') {
        tokens.push(lead.token);
        at += lead.length;
        continue;
      }
      if (lead.kind === 'noise') {
        this.dropped += 1;
        at += 1;
        continue;
      }
      const scan = this.grammar.scan(merged, at);
      if (scan.status === 'complete') {
        tokens.push(this.grammar.frame(scan));
        at += scan.length;
      } else if (scan.status === 'invalid') {
        tokens.push(this.grammar.rejected(scan.error));
        const inside = scan.extent === undefined ? undefined : this.laterWholeFrame(merged, at + 1, at + scan.extent);
        at = inside ?? at + (scan.extent ?? 1);
      } else {
        const later = this.laterWholeFrame(merged, at + 1, merged.length);
        if (later === undefined) break;
        tokens.push(this.grammar.rejected(this.grammar.cutShort()));
        at = later;
      }
    }
    this.buffer = merged.slice(at);
    return tokens;
  }

  /** The first offset in `[from, until)` where a whole frame starts. */
  private laterWholeFrame(bytes: Uint8Array, from: number, until: number): number | undefined {
    for (let i = from; i < until; i++) {
      if (this.grammar.lead(bytes, i).kind !== 'frame') continue;
      const scan = this.grammar.scan(bytes, i);
      if (scan.status === 'complete') return i;
      if (this.grammar.resyncOnDamaged && scan.status === 'invalid' && scan.extent !== undefined) return i;
    }
    return undefined;
  }
}
