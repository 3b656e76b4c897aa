import { describe, expect, it } from 'vitest';
import {
  DISABLE_ENTRY,
  ENABLE_ENTRY,
  INITIALISE,
  READ_TRACKS,
  SENSORS,
  SET_READ_MODE,
  STATUS,
  encodeCommand,
  moveCommand,
} from '../../../../drivers/protocols/creator/commands.js';
import {
  CreatorFrameError,
  MAX_TEXT_LENGTH,
  decodeFrame,
  encodeFrame,
} from '../../../../drivers/protocols/creator/frame.js';
import { COMMANDS, REPLIES } from '../../../fixtures/creator/frames.js';

describe('Creator frame codec', () => {
  it('generates the documented command frames byte for byte', () => {
    expect(encodeCommand(0, STATUS)).toEqual(COMMANDS.status);
    expect(encodeCommand(0, moveCommand('gate'))).toEqual(COMMANDS.ejectToGate);
    expect(encodeCommand(0, SENSORS)).toEqual(COMMANDS.sensors);
    expect(encodeCommand(0, INITIALISE)).toEqual(COMMANDS.initialise);
    expect(encodeCommand(0, ENABLE_ENTRY)).toEqual(COMMANDS.enableEntry);
    expect(encodeCommand(0, DISABLE_ENTRY)).toEqual(COMMANDS.disableEntry);
    expect(encodeCommand(0, READ_TRACKS)).toEqual(COMMANDS.readTracks);
    expect(encodeCommand(0, SET_READ_MODE)).toEqual(COMMANDS.setReadMode);
    expect(encodeCommand(0, moveCommand('ic'))).toEqual(COMMANDS.icPosition);
    expect(encodeCommand(0, moveCommand('rf'))).toEqual(COMMANDS.rfPosition);
    expect(encodeCommand(0, moveCommand('retain'))).toEqual(COMMANDS.capture);
  });

  it('parses every golden frame and mirrors it back', () => {
    for (const bytes of [...Object.values(COMMANDS), ...Object.values(REPLIES)]) {
      const frame = decodeFrame(bytes);
      expect(frame.address).toBe(0);
      expect(encodeFrame(frame)).toEqual(bytes);
    }
  });

  it('puts the address after STX and covers it with the BCC', () => {
    const framed = encodeCommand(0x0f, STATUS);
    expect([...framed.slice(0, 2)]).toEqual([0xf2, 0x0f]);
    expect(framed.at(-1)).toBe(0xb0 ^ 0x0f);
  });

  const errorKind = (bytes: Uint8Array): string => {
    try {
      decodeFrame(bytes);
      return 'none';
    } catch (err) {
      expect(err).toBeInstanceOf(CreatorFrameError);
      return (err as CreatorFrameError).kind;
    }
  };

  it('rejects damaged frames with a typed error naming the fault', () => {
    const good = COMMANDS.status;
    expect(errorKind(good.slice(0, 5))).toBe('truncated');
    expect(errorKind(Uint8Array.from([...good.slice(0, -1), 0xb1]))).toBe('badBcc');
    const noEtx = good.slice();
    noEtx[7] = 0x04;
    expect(errorKind(noEtx)).toBe('badEtx');
    expect(errorKind(Uint8Array.of(0x02, ...good.slice(1)))).toBe('badStart');
    expect(errorKind(Uint8Array.of(0xf2, 0x00, 0xff, 0xff))).toBe('oversized');
    expect(errorKind(Uint8Array.of(...good, 0x00))).toBe('trailingBytes');
  });

  it('refuses to encode a text longer than the limit', () => {
    expect(() => encodeFrame({ address: 0, text: new Uint8Array(MAX_TEXT_LENGTH + 1) })).toThrow(CreatorFrameError);
  });
});
