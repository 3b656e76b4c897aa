import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SENSOR_STATUS, dispenseCommand, fromParityDigit, parityDigit } from '../../../../drivers/protocols/f56/commands.js';
import { crc16Kermit } from '../../../../drivers/protocols/f56/crc.js';
import { F56FrameError, decodeFrame, encodeFrame } from '../../../../drivers/protocols/f56/frame.js';
import { parseDispense, parseSensorStatus, replyErrorCode } from '../../../../drivers/protocols/f56/reply.js';
import { F56StreamDecoder } from '../../../../drivers/protocols/f56/stream-decoder.js';
import { FRAMES, KERMIT_VECTORS, PARITY_DIGITS } from '../../../fixtures/f56/frames.js';

/** An independent bit-serial CRC-16/KERMIT (the reveng definition), to compare the table-driven one with. */
function bitwiseKermit(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    for (let i = 0; i < 8; i++) {
      const mix = (crc ^ (byte >> i)) & 1;
      crc >>>= 1;
      if (mix) crc ^= 0x8408;
    }
  }
  return crc;
}

describe('CRC-16/KERMIT', () => {
  it('matches the published vectors', () => {
    for (const { bytes, crc } of KERMIT_VECTORS) expect(crc16Kermit(bytes)).toBe(crc);
  });

  it('agrees with a bit-serial implementation on random data', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => crc16Kermit(bytes) === bitwiseKermit(bytes)));
  });
});

describe('F56 frames against the golden bytes', () => {
  it('generates and parses the documented sensor-status frame', () => {
    expect(encodeFrame(SENSOR_STATUS)).toEqual(FRAMES.sensorStatus);
    expect(decodeFrame(FRAMES.sensorStatus)).toEqual(SENSOR_STATUS);
  });

  it('writes counts as even-parity ASCII digits', () => {
    expect(Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(parityDigit))).toEqual(PARITY_DIGITS);
    expect(fromParityDigit(0x31)).toBeUndefined();
    expect(encodeFrame(dispenseCommand([2, 0, 0, 0]))).toEqual(FRAMES.dispenseTwoFromTop);
  });

  it('stuffs DLE in the length and data and unstuffs it on the way back', () => {
    const data = decodeFrame(FRAMES.stuffedLength);
    expect(data.length).toBe(16);
    expect(encodeFrame(data)).toEqual(FRAMES.stuffedLength);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(decodeFrame(encodeFrame(bytes))).toEqual(bytes);
      }),
    );
  });

  it('refuses damaged frames with typed errors', () => {
    const bad = FRAMES.sensorStatus.slice();
    bad[5] = (bad[5] as number) ^ 0x40;
    expect(() => decodeFrame(bad)).toThrow(expect.objectContaining({ kind: 'badCrc' }) as Error);
    expect(() => decodeFrame(FRAMES.sensorStatus.slice(0, 6))).toThrow(F56FrameError);
    expect(() => decodeFrame(Uint8Array.of(0x10, 0x02, 0x00, 0x10, 0x41))).toThrow(expect.objectContaining({ kind: 'badStuffing' }) as Error);
  });

  it('parses the status, dispense counts and error replies', () => {
    const status = new Array<number>(0x12).fill(0);
    status[1] = 0x01;
    status[0x0c] = 0b001;
    status[0x0d] = 0b011;
    status[0x0e] = 0b101;
    status[0x10] = 0b011;
    status[0x11] = 0b1001;
    const parsed = parseSensorStatus(Uint8Array.from([...status, 0x1c]));
    expect(parsed.cassettes.map((c) => [c.present, c.level])).toEqual([[true, 'ok'], [true, 'nearEnd'], [true, 'empty'], [false, 'ok']]);
    expect(parsed).toMatchObject({ shutterOpen: true, exitOccupied: true, stackerHeld: true, stackerUnknown: true, jammed: false });

    const reply = new Array<number>(0x37).fill(0x30);
    reply.splice(0, 5, 0xf0, 0x03, 0x60, 0x30, 0x31);
    reply.splice(0x27, 2, 0x30, 0xb2);
    reply.splice(0x2f, 2, 0x30, 0xb1);
    const data = Uint8Array.from([...reply, 0x1c]);
    expect(replyErrorCode(data)).toBe(0x01);
    expect(parseDispense(data)).toEqual({ dispensed: [2, 0, 0, 0], rejected: [1, 0, 0, 0] });
  });
});

describe('F56 stream decoding under fuzzing', () => {
  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }), (chunks) => {
        const decoder = new F56StreamDecoder();
        for (const chunk of chunks) decoder.push(chunk);
      }),
    );
  });

  it('finds the real frame after noise, truncation or corruption, however split', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 30 }),
        fc.integer({ min: 0, max: FRAMES.dispenseTwoFromTop.length - 1 }),
        fc.integer({ min: 1, max: 7 }),
        fc.uint8Array({ maxLength: 40 }),
        (noise, cut, step, data) => {
          const stream = Uint8Array.from([...noise, ...FRAMES.dispenseTwoFromTop.slice(0, cut), ...encodeFrame(data)]);
          const decoder = new F56StreamDecoder();
          const tokens = [];
          for (let i = 0; i < stream.length; i += step) tokens.push(...decoder.push(stream.subarray(i, i + step)));
          expect(tokens.filter((t) => t.type === 'frame').at(-1)).toEqual({ type: 'frame', data });
        },
      ),
    );
  });
});
