import { describe, expect, it } from 'vitest';
import { CLEAR_NONCE, LAST_STATUS, PURGE, STATUS, dispenseCommand, encodeCommand, presentStatusCommand } from '../../../../drivers/protocols/lcdm/commands.js';
import { LcdmFrameError, decodeFrame, encodeFrame } from '../../../../drivers/protocols/lcdm/frame.js';
import { parseCounts, parseLastStatus, parseStatus } from '../../../../drivers/protocols/lcdm/reply.js';
import { LcdmReplyDecoder } from '../../../../drivers/protocols/lcdm/stream-decoder.js';
import { COMMANDS, REPLIES } from '../../../fixtures/lcdm/frames.js';

describe('LCDM-4000 frames against the golden bytes', () => {
  it('generates the documented command frames', () => {
    expect(encodeCommand(STATUS)).toEqual(COMMANDS.status);
    expect(encodeCommand(PURGE)).toEqual(COMMANDS.purge);
    expect(encodeCommand(LAST_STATUS)).toEqual(COMMANDS.lastStatus);
    expect(encodeCommand(dispenseCommand([2, 0, 0, 0]))).toEqual(COMMANDS.dispenseTwoFromTop);
    expect(encodeCommand({ name: 'getNonce', data: new Uint8Array(0) })).toEqual(COMMANDS.getNonce);
    expect(encodeCommand(presentStatusCommand('ABCD'))).toEqual(COMMANDS.presentStatusAbcd);
  });

  it('parses the command frames back (mirror)', () => {
    for (const bytes of Object.values(COMMANDS)) {
      const frame = decodeFrame(bytes, 'command');
      expect(encodeFrame(frame)).toEqual(bytes);
    }
    expect(decodeFrame(COMMANDS.dispenseTwoFromTop, 'command').data.length).toBe(15);
  });

  it('parses a status reply field by field', () => {
    const status = parseStatus(decodeFrame(REPLIES.status, 'reply').data);
    expect(status.error).toBe(0);
    expect(status.sensors).toEqual({ dvtLeft: false, dvtRight: false, ejt: false, exit: true, reject: false });
    expect(status.cassettes.map((c) => [c.present, c.level])).toEqual([
      [true, 'ok'],
      [true, 'nearEnd'],
      [true, 'empty'],
      [false, 'ok'],
    ]);
    expect(status.cassettes[0]).toMatchObject({ opacity: 0x40, length: 0x50 });
    expect(status.extended).toEqual({ stackerHeld: false, exitOccupied: true, rejectFull: false, jammed: false, stackerUnknown: false });
  });

  it('parses per-cassette exit and reject counts with the error code', () => {
    const reply = parseCounts(decodeFrame(REPLIES.dispensePickupError, 'reply').data);
    expect(reply.error).toBe(0x01);
    expect(reply.cassettes[0]).toEqual({ exit: 2, rejected: 1, present: true });
    expect(reply.cassettes.slice(1).map((c) => c.exit + c.rejected)).toEqual([0, 0, 0]);
    const last = parseLastStatus(decodeFrame(REPLIES.lastStatusAfterThree, 'reply').data);
    expect(last).toMatchObject({ lastCommand: 0x52, error: 0 });
    expect(last.cassettes[0]?.exit).toBe(3);
  });

  it('refuses damaged frames with typed errors', () => {
    const bad = REPLIES.status.slice();
    bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 0x01;
    expect(() => decodeFrame(bad, 'reply')).toThrow(expect.objectContaining({ kind: 'badBcc' }) as Error);
    expect(() => decodeFrame(REPLIES.status.slice(0, 10), 'reply')).toThrow(LcdmFrameError);
    expect(() => decodeFrame(COMMANDS.status, 'reply')).toThrow(expect.objectContaining({ kind: 'badStart' }) as Error);
    expect(() => dispenseCommand([101, 0, 0, 0])).toThrow(RangeError);
    expect(() => encodeFrame({ direction: 'command', cmd: 0x50, data: Uint8Array.of(0x03) })).toThrow(LcdmFrameError);
  });

  it('decodes link bytes and frames from arbitrary chunks, resyncing after noise', () => {
    const decoder = new LcdmReplyDecoder();
    const stream = Uint8Array.from([0x06, 0xff, 0x00, 0x01, 0x31, ...REPLIES.status, 0x04]);
    const tokens = [...stream].flatMap((b) => decoder.push(Uint8Array.of(b)));
    expect(tokens.map((t) => t.type)).toEqual(['ack', 'rejected', 'frame', 'eot']);
    expect(encodeCommand(CLEAR_NONCE)).toEqual(Uint8Array.of(0x04, 0x30, 0x02, 0x71, 0x03, 0x44));
  });
});
