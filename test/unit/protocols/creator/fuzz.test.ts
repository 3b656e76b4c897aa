import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame, decodeFrame, CreatorFrameError, MAX_TEXT_LENGTH } from '../../../../drivers/protocols/creator/frame.js';
import { CreatorReplyError, parseReply, parseTracks } from '../../../../drivers/protocols/creator/reply.js';
import { CreatorStreamDecoder, type LinkToken } from '../../../../drivers/protocols/creator/stream-decoder.js';

const CONTROL_BYTES = [0x05, 0x06, 0x15];
/** Noise with no frame start and no control bytes, so the expected tokens are exact. */
const quietNoise = fc.uint8Array({ maxLength: 40 }).map((b) => b.filter((x) => x !== 0xf2 && !CONTROL_BYTES.includes(x)));
const text = fc.uint8Array({ minLength: 0, maxLength: 300 });
const frameArb = fc.record({ address: fc.integer({ min: 0, max: 255 }), text });

/** Splits bytes at the given cut points. */
function chunks(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.slice(from, p));
    from = p;
  }
  return out;
}

const framesOf = (tokens: LinkToken[]) => tokens.flatMap((t) => (t.type === 'frame' ? [t.frame] : []));

describe('Creator codec fuzz', () => {
  it('decodes whatever it encodes', () => {
    fc.assert(
      fc.property(frameArb, (frame) => {
        expect(decodeFrame(encodeFrame(frame))).toEqual(frame);
      }),
    );
  });

  it('finds every frame in noise, however the stream is cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(quietNoise, frameArb), { minLength: 1, maxLength: 4 }),
        quietNoise,
        fc.array(fc.nat(), { maxLength: 12 }),
        (parts, tail, cuts) => {
          const stream = Uint8Array.from(parts.flatMap(([noise, f]) => [...noise, ...encodeFrame(f)]).concat([...tail]));
          const decoder = new CreatorStreamDecoder();
          const tokens = chunks(stream, cuts).flatMap((c) => decoder.push(c));
          expect(framesOf(tokens)).toEqual(parts.map(([, f]) => f));
        },
      ),
    );
  });

  it('never throws on random bytes and never keeps more than one frame of backlog', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 20 }), (pieces) => {
        const decoder = new CreatorStreamDecoder();
        for (const piece of pieces) decoder.push(piece);
        // Whatever remains buffered must be followed by a real frame to be released.
        const tokens = decoder.push(encodeFrame({ address: 7, text: Uint8Array.of(0x50, 0x31, 0x30, 0x30, 0x30) }));
        expect(framesOf(tokens).some((f) => f.address === 7)).toBe(true);
      }),
    );
  });

  it('reports a frame with one corrupted byte as rejected or drops it, then finds the next frame', () => {
    fc.assert(
      fc.property(frameArb, fc.nat(), fc.integer({ min: 1, max: 255 }), frameArb, (frame, at, flip, next) => {
        const bytes = encodeFrame(frame);
        const i = at % bytes.length;
        bytes[i] = (bytes[i] as number) ^ flip;
        const decoder = new CreatorStreamDecoder();
        const found = framesOf(decoder.push(Uint8Array.from([...bytes, ...encodeFrame(next)])));
        expect(found.at(-1)).toEqual(next);
      }),
    );
  });

  it('raises only typed errors on truncated or random frames', () => {
    fc.assert(
      fc.property(frameArb, fc.nat(), (frame, cut) => {
        const bytes = encodeFrame(frame);
        expect(() => decodeFrame(bytes.slice(0, cut % bytes.length))).toThrow(CreatorFrameError);
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: MAX_TEXT_LENGTH }), (bytes) => {
        for (const parse of [() => decodeFrame(bytes), () => parseReply(bytes), () => parseTracks(bytes)]) {
          try {
            parse();
          } catch (err) {
            expect(err instanceof CreatorFrameError || err instanceof CreatorReplyError).toBe(true);
          }
        }
      }),
    );
  });
});
