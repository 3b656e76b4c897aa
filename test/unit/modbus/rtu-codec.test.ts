import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc16Modbus } from '../../../simulators/io-board-modbus/crc16-modbus.js';
import { encodeRtuFrame, hasValidCrc, RtuRequestReceiver } from '../../../simulators/io-board-modbus/rtu-frame.js';
import { CRC_CHECK, PUBLISHED_FRAMES } from '../../fixtures/modbus/published-frames.js';

const requests = PUBLISHED_FRAMES.filter((f) => f.role === 'request');

describe('CRC-16/MODBUS (simulator side)', () => {
  it('gives the catalogue check value for "123456789"', () => {
    expect(crc16Modbus(Array.from(CRC_CHECK.input, (c) => c.charCodeAt(0)))).toBe(CRC_CHECK.crc);
  });

  it('is 0xFFFF (the preset) for no bytes', () => {
    expect(crc16Modbus([])).toBe(0xffff);
  });

  it.each(PUBLISHED_FRAMES.map((f) => [f.name, f.bytes] as const))('matches the CRC of the published frame: %s', (_, bytes) => {
    const crc = crc16Modbus(bytes, 0, bytes.length - 2);
    expect([crc & 0xff, crc >>> 8]).toEqual(bytes.slice(-2));
    expect(hasValidCrc(bytes)).toBe(true);
  });

  it('re-encodes every published frame from its address and PDU', () => {
    for (const { bytes } of PUBLISHED_FRAMES) {
      expect([...encodeRtuFrame(bytes[0] ?? 0, bytes.slice(1, -2))]).toEqual(bytes);
    }
  });
});

describe('RTU request receiver (simulator side)', () => {
  it('decodes the published requests field by field', () => {
    const receiver = new RtuRequestReceiver();
    expect(receiver.push(requests[0]?.bytes ?? [])).toEqual([
      { address: 0x01, functionCode: 0x03, data: Uint8Array.of(0x00, 0x00, 0x00, 0x0a) },
    ]);
    const writeCoils = PUBLISHED_FRAMES.find((f) => f.name.startsWith('FC0F request'));
    expect(receiver.push(writeCoils?.bytes ?? [])).toEqual([
      { address: 0x11, functionCode: 0x0f, data: Uint8Array.of(0x00, 0x13, 0x00, 0x0a, 0x02, 0xcd, 0x01) },
    ]);
  });

  it('cuts back-to-back requests out of one burst, and out of byte-by-byte delivery', () => {
    const stream = requests.flatMap((f) => f.bytes);
    expect(new RtuRequestReceiver().push(stream)).toHaveLength(requests.length);
    const receiver = new RtuRequestReceiver();
    const got = stream.flatMap((b) => receiver.push([b]));
    expect(got.map((r) => r.functionCode)).toEqual(requests.map((f) => f.bytes[1]));
    expect(receiver.pending).toBe(0);
  });

  it('takes a request of a function it cannot size only at the silence', () => {
    // FC 07 read exception status: address + function + CRC, length known only from the gap.
    const frame = [...encodeRtuFrame(0x01, [0x07])];
    const receiver = new RtuRequestReceiver();
    expect(receiver.push(frame)).toEqual([]);
    expect(receiver.silence()).toEqual([{ address: 0x01, functionCode: 0x07, data: new Uint8Array() }]);
  });

  it('drops a frame with a bad CRC, and the rest of the burst, until the silence', () => {
    const good = requests[0]?.bytes ?? [];
    const bad = [...good.slice(0, -1), (good.at(-1) ?? 0) ^ 0x01];
    const receiver = new RtuRequestReceiver();
    expect(receiver.push([...bad, ...good])).toEqual([]);
    expect(receiver.silence()).toEqual([]);
    expect(receiver.dropped).toBe(1);
    expect(receiver.push(good)).toHaveLength(1);
  });

  it('drops a truncated frame at the silence', () => {
    const receiver = new RtuRequestReceiver();
    expect(receiver.push((requests[0]?.bytes ?? []).slice(0, 5))).toEqual([]);
    expect(receiver.silence()).toEqual([]);
    expect(receiver.dropped).toBe(1);
    expect(receiver.pending).toBe(0);
  });

  it('drops a request longer than 256 bytes', () => {
    // FC10 with byte count 250: 259 bytes in all.
    const receiver = new RtuRequestReceiver();
    expect(receiver.push([0x01, 0x10, 0x00, 0x00, 0x00, 0x7d, 0xfa, ...new Array<number>(252).fill(0)])).toEqual([]);
    expect(receiver.dropped).toBe(1);
  });
});

describe('RTU request receiver under fuzz', () => {
  const chunked = (bytes: number[], cuts: number[]): number[][] => {
    const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
    const chunks: number[][] = [];
    let from = 0;
    for (const p of [...points, bytes.length]) {
      chunks.push(bytes.slice(from, p));
      from = p;
    }
    return chunks;
  };

  it('never throws on random bytes, and only ever yields CRC-valid frames', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 600 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (bytes, cuts) => {
          const receiver = new RtuRequestReceiver();
          const got = chunked(bytes, cuts).flatMap((c) => receiver.push(c));
          got.push(...receiver.silence());
          for (const r of got) expect(hasValidCrc(encodeRtuFrame(r.address, [r.functionCode, ...r.data]))).toBe(true);
          expect(receiver.pending).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('rejects every published request with one byte corrupted', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...requests),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (frame, at, mask) => {
          const bytes = [...frame.bytes];
          const i = at % bytes.length;
          bytes[i] = (bytes[i] ?? 0) ^ mask;
          const receiver = new RtuRequestReceiver();
          const got = [...receiver.push(bytes), ...receiver.silence()];
          expect(got).toEqual([]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('drops every truncation of a published request, then hears the next one', () => {
    fc.assert(
      fc.property(fc.constantFrom(...requests), fc.nat(), (frame, cut) => {
        const length = 1 + (cut % (frame.bytes.length - 1));
        const receiver = new RtuRequestReceiver();
        const got = [...receiver.push(frame.bytes.slice(0, length)), ...receiver.silence()];
        expect(got).toEqual([]);
        expect(receiver.push(frame.bytes)).toHaveLength(1);
      }),
      { numRuns: 300 },
    );
  });
});
