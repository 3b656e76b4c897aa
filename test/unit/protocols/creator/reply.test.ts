import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../../../drivers/protocols/creator/frame.js';
import {
  CreatorReplyError,
  decodeSensors,
  errorDescription,
  parseReply,
  parseTracks,
} from '../../../../drivers/protocols/creator/reply.js';
import { REPLIES } from '../../../fixtures/creator/frames.js';

const reply = (bytes: Uint8Array) => parseReply(decodeFrame(bytes).text);
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('Creator replies', () => {
  it('decodes the card position and bin sensor from st0 st1', () => {
    expect(reply(REPLIES.statusEmpty)).toMatchObject({ kind: 'positive', status: { card: 'none', retainBinFull: false } });
    expect(reply(REPLIES.statusCardInside)).toMatchObject({ status: { card: 'inside' } });
    expect(reply(REPLIES.statusCardAtGate)).toMatchObject({ status: { card: 'gate' } });
    expect(reply(REPLIES.statusBinFull)).toMatchObject({ status: { card: 'none', retainBinFull: true } });
    expect(reply(REPLIES.ejected)).toMatchObject({ cm: 0x32, pm: 0x30, status: { card: 'gate' } });
  });

  it('decodes negative replies to their two-character error code', () => {
    expect(reply(REPLIES.jamOnEject)).toEqual({ kind: 'negative', cm: 0x32, pm: 0x30, error: '10' });
    expect(reply(REPLIES.tooShort)).toMatchObject({ kind: 'negative', error: '14' });
    expect(reply(REPLIES.pulledOut)).toMatchObject({ error: '40' });
    expect(reply(REPLIES.captureBinFull)).toMatchObject({ cm: 0x32, pm: 0x33, error: '50' });
    expect(errorDescription('10')).toBe('card jam');
    expect(errorDescription('ZZ')).toContain('unknown');
  });

  it('decodes the sensor data of C 1 1', () => {
    const parsed = reply(REPLIES.sensorsCardInside);
    if (parsed.kind !== 'positive') throw new Error('expected a positive reply');
    expect(decodeSensors(parsed.data)).toEqual({ photo: [false, true, true, true, false], icContacts: false });
    expect(() => decodeSensors(text('01110'))).toThrow(CreatorReplyError);
    expect(() => decodeSensors(text('01112 0'))).toThrow(CreatorReplyError);
  });

  it('splits the three track blocks at 0x7E with per-track status', () => {
    const parsed = reply(REPLIES.tracks);
    if (parsed.kind !== 'positive') throw new Error('expected a positive reply');
    const [t1, t2, t3] = parseTracks(parsed.data);
    expect(t1).toEqual({ ok: true, data: text('B4000') });
    expect(t2).toEqual({ ok: true, data: text('4000=25121') });
    expect(t3).toEqual({ ok: false, error: '24' });
  });

  it('rejects malformed replies with CreatorReplyError', () => {
    for (const bad of ['P10', 'P1090', 'P1002', 'X1000', 'N10', 'N101', 'N10x1', 'N10123']) {
      expect(() => parseReply(text(bad)), bad).toThrow(CreatorReplyError);
    }
    expect(() => parseTracks(text('P1~P2'))).toThrow(CreatorReplyError);
    expect(() => parseTracks(text('P1~P2~X'))).toThrow(CreatorReplyError);
    expect(() => parseTracks(text('P1~P2~N2'))).toThrow(CreatorReplyError);
  });
});
