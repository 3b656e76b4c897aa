import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameDecoder, IsoFormatError, frame } from '../../../../main/host-link/iso8583/index.js';
import { WITHDRAWAL_0200, WITHDRAWAL_0200_FRAMED } from '../../../fixtures/iso8583/withdrawal-0200.js';

/** Splits `bytes` at the given cut points (any order, duplicates allowed). */
function chunked(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const to of [...points, bytes.length]) {
    chunks.push(bytes.subarray(from, to));
    from = to;
  }
  return chunks;
}

const concat = (parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('framing', () => {
  it('frame() writes the big-endian length and refuses what 2 bytes cannot say', () => {
    expect(frame(Uint8Array.of(1, 2, 3))).toEqual(Uint8Array.of(0x00, 0x03, 1, 2, 3));
    expect(frame(new Uint8Array(0x1234)).subarray(0, 2)).toEqual(Uint8Array.of(0x12, 0x34));
    expect(() => frame(new Uint8Array(0x10000))).toThrow(expect.objectContaining({ code: 'oversized' }));
  });

  it('reads the worked 0200 one byte at a time, the header split too', () => {
    const decoder = new FrameDecoder();
    const out = [...WITHDRAWAL_0200_FRAMED].flatMap((b) => decoder.push(Uint8Array.of(b)));
    expect(out).toEqual([WITHDRAWAL_0200]);
    expect(decoder.idle).toBe(true);
  });

  it('returns several messages from one chunk, in order, and skips zero-length keep-alives', () => {
    const decoder = new FrameDecoder();
    const chunk = concat([frame(Uint8Array.of(1)), Uint8Array.of(0, 0), frame(Uint8Array.of(2, 3)), Uint8Array.of(0)]);
    expect(decoder.push(chunk)).toEqual([Uint8Array.of(1), Uint8Array.of(2, 3)]);
    expect(decoder.idle).toBe(false); // half a header is pending
    expect(decoder.push(Uint8Array.of(1, 9))).toEqual([Uint8Array.of(9)]);
  });

  it('refuses an announced length over the limit, and stays failed', () => {
    const decoder = new FrameDecoder({ maxLength: 100 });
    expect(decoder.push(frame(new Uint8Array(100)))).toHaveLength(1);
    const refuse = () => decoder.push(Uint8Array.of(0x00, 0x65));
    expect(refuse).toThrow(IsoFormatError);
    expect(refuse).toThrow(expect.objectContaining({ code: 'oversized' }));
    expect(() => decoder.push(frame(Uint8Array.of(1)))).toThrow(expect.objectContaining({ code: 'oversized' }));
  });

  it('the default limit is 8192 bytes', () => {
    expect(new FrameDecoder().push(frame(new Uint8Array(8192)))).toHaveLength(1);
    expect(() => new FrameDecoder().push(Uint8Array.of(0x20, 0x01))).toThrow(expect.objectContaining({ code: 'oversized' }));
  });

  it('any chunking of any frame sequence yields exactly the messages sent', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (messages, cuts) => {
          const decoder = new FrameDecoder();
          const out = chunked(concat(messages.map(frame)), cuts).flatMap((c) => decoder.push(c));
          expect(out).toEqual(messages);
          expect(decoder.idle).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('random bytes: messages or an oversized error, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat(), { maxLength: 10 }), (bytes, cuts) => {
        const decoder = new FrameDecoder({ maxLength: 512 });
        try {
          for (const c of chunked(bytes, cuts)) for (const m of decoder.push(c)) expect(m.length).toBeLessThanOrEqual(512);
        } catch (error) {
          expect(error).toBeInstanceOf(IsoFormatError);
          expect((error as IsoFormatError).code).toBe('oversized');
        }
      }),
      { numRuns: 500 },
    );
  });
});
