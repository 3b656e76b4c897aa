import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeFullStatus,
  FULL_STATUS_REQUEST,
  FullStatusAssembler,
  Vkp80StatusError,
  type Vkp80Status,
} from '../../../../drivers/protocols/escpos/vkp80-status.js';
import { VKP80 } from '../../../fixtures/escpos/golden.js';

const CLEAR: Vkp80Status = {
  paperEnd: false,
  nearEnd: false,
  ticketInPresenter: false,
  coverOpen: false,
  motorMoving: false,
  headTemperatureError: false,
  serialError: false,
  powerSupplyError: false,
  paperJam: false,
  cutterError: false,
  memoryError: false,
};
const decode = (frame: number[]): Vkp80Status => decodeFullStatus(Uint8Array.from(frame));

describe('Custom VKP80 full status', () => {
  it('is requested with 10 04 14', () => {
    expect([...FULL_STATUS_REQUEST]).toEqual(VKP80.request);
  });

  it.each([
    ['idle', VKP80.idle, {}],
    ['ticket in presenter', VKP80.ticketInPresenter, { ticketInPresenter: true }],
    ['near end with a ticket', VKP80.nearEndWithTicket, { nearEnd: true, ticketInPresenter: true }],
    ['paper end', VKP80.paperEnd, { paperEnd: true, nearEnd: true }],
    ['cover open', VKP80.coverOpen, { coverOpen: true }],
    ['motor moving', VKP80.motorMoving, { motorMoving: true }],
    ['head temperature', VKP80.headTemperature, { headTemperatureError: true }],
    ['RS-232 error', VKP80.serialError, { serialError: true }],
    ['power supply', VKP80.powerSupply, { powerSupplyError: true }],
    ['paper jam', VKP80.paperJam, { paperJam: true }],
    ['cutter error', VKP80.cutterError, { cutterError: true }],
    ['memory error', VKP80.memoryError, { memoryError: true }],
  ] as const)('decodes %s', (_name, frame, flags) => {
    expect(decode([...frame])).toEqual({ ...CLEAR, ...flags });
  });

  it('counts either cover bit as open', () => {
    expect(decode([0x10, 0x0f, 0, 0x01, 0, 0]).coverOpen).toBe(true);
    expect(decode([0x10, 0x0f, 0, 0x02, 0, 0]).coverOpen).toBe(true);
  });

  it('rejects frames without the 10 0F header or of the wrong length', () => {
    expect(() => decode([0x10, 0x0e, 0, 0, 0, 0])).toThrow(Vkp80StatusError);
    expect(() => decode([0x11, 0x0f, 0, 0, 0, 0])).toThrow(Vkp80StatusError);
    expect(() => decode([0x10, 0x0f, 0, 0, 0])).toThrow(Vkp80StatusError);
  });

  it('finds the answer after noise and across chunk boundaries', () => {
    const assembler = new FullStatusAssembler();
    const stream = [0x00, 0x10, 0x10, 0x0f, 0x20, 0x00, 0x40, 0x01];
    const results = stream.map((b) => assembler.push(b)).filter((r) => r !== undefined);
    expect(results).toEqual([{ ...CLEAR, ticketInPresenter: true, paperJam: true, cutterError: true }]);
  });

  it('never throws on arbitrary bytes, and a valid frame after them is found', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ minLength: 4, maxLength: 4 }), (noise, body) => {
        const assembler = new FullStatusAssembler();
        for (const b of noise) assembler.push(b);
        // Six filler bytes finish or drop whatever frame the noise started; then ours is found whole.
        for (const b of [0, 0, 0, 0, 0, 0]) assembler.push(b);
        const frame = [0x10, 0x0f, ...body];
        const found = frame.map((b) => assembler.push(b)).filter((r) => r !== undefined);
        expect(found).toHaveLength(1);
        expect(found[0]).toEqual(decodeFullStatus(Uint8Array.from(frame)));
      }),
    );
  });
});
