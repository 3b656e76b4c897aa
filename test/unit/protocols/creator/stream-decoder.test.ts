import { describe, expect, it } from 'vitest';
import { CreatorStreamDecoder, type LinkToken } from '../../../../drivers/protocols/creator/stream-decoder.js';
import { COMMANDS, CONTROL, REPLIES } from '../../../fixtures/creator/frames.js';

const kinds = (tokens: LinkToken[]): string[] =>
  tokens.map((t) => (t.type === 'rejected' ? `rejected:${t.error.kind}` : t.type));
const cat = (...parts: (Uint8Array | number[])[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('Creator stream decoder', () => {
  it('reassembles a frame delivered one byte at a time', () => {
    const decoder = new CreatorStreamDecoder();
    const tokens = [...REPLIES.tracks].flatMap((b) => decoder.push(Uint8Array.of(b)));
    expect(kinds(tokens)).toEqual(['frame']);
  });

  it('separates merged control bytes and frames', () => {
    const decoder = new CreatorStreamDecoder();
    const tokens = decoder.push(cat([CONTROL.ack], REPLIES.statusEmpty, [CONTROL.nak, CONTROL.enq], REPLIES.ejected));
    expect(kinds(tokens)).toEqual(['ack', 'frame', 'nak', 'enq', 'frame']);
  });

  it('skips garbage before a frame', () => {
    const decoder = new CreatorStreamDecoder();
    expect(kinds(decoder.push(cat([0x00, 0xff, 0x7e, 0x31], REPLIES.statusEmpty)))).toEqual(['frame']);
    expect(decoder.droppedBytes).toBe(4);
  });

  it('reports a corrupt frame and resynchronises on the next STX', () => {
    const damaged = REPLIES.statusEmpty.slice();
    damaged[6] = 0x39;
    const decoder = new CreatorStreamDecoder();
    expect(kinds(decoder.push(cat(damaged, REPLIES.statusCardInside)))).toEqual(['rejected:badBcc', 'frame']);
  });

  it('rejects an oversized announcement at once and finds the frame after it', () => {
    const decoder = new CreatorStreamDecoder();
    expect(kinds(decoder.push(cat([0xf2, 0x00, 0x7f, 0xff], REPLIES.ejected)))).toEqual(['rejected:oversized', 'frame']);
  });

  it('gives up a stray STX that announces more bytes than follow once a real frame is complete', () => {
    const decoder = new CreatorStreamDecoder();
    const stray = [0xf2, 0x00, 0x00, 0x40, 0x31];
    const first = decoder.push(cat(stray, REPLIES.statusEmpty.slice(0, 4)));
    expect(first).toEqual([]);
    expect(kinds(decoder.push(REPLIES.statusEmpty.slice(4)))).toEqual(['rejected:truncated', 'frame']);
  });

  it('forgets a partial frame on reset', () => {
    const decoder = new CreatorStreamDecoder();
    decoder.push(COMMANDS.status.slice(0, 4));
    decoder.reset();
    expect(kinds(decoder.push(REPLIES.statusEmpty))).toEqual(['frame']);
  });
});

describe('Creator stream decoder after a stray STX', () => {
  it('still reports a damaged frame that follows it, so the link can ask again', () => {
    const damaged = REPLIES.statusEmpty.slice();
    damaged[damaged.length - 1] = (damaged.at(-1) ?? 0) ^ 0xff;
    const decoder = new CreatorStreamDecoder();
    expect(kinds(decoder.push(cat([0xf2, 0x00, 0x00, 0x40, 0x31], damaged)))).toEqual([
      'rejected:truncated',
      'rejected:badBcc',
    ]);
  });
});

describe('Creator stream decoder with a corrupted length', () => {
  it('finds a real frame that the damaged one appears to enclose', () => {
    // F2 00 | 00 0A (was 00 02: now claims ten bytes) | 00 00 03 F3, then a real frame whose
    // ETX lands where the damaged length expects one.
    const damaged = [0xf2, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x03, 0xf3];
    const real = [0xf2, 0x00, 0x00, 0x02, 0x00, 0x00, 0x03, 0xf3];
    const decoder = new CreatorStreamDecoder();
    expect(kinds(decoder.push(cat(damaged, real)))).toEqual(['rejected:badBcc', 'frame']);
  });
});
