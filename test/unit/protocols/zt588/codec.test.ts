import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as cmd from '../../../../drivers/protocols/zt588/commands.js';
import { Zt588DeviceError } from '../../../../drivers/protocols/zt588/errors.js';
import { ascii, decodeFrame, encodeFrame, textOf, Zt588FrameError } from '../../../../drivers/protocols/zt588/frame.js';
import { DEFAULT_SCAN_CODES, decodeKeyReport } from '../../../../drivers/protocols/zt588/keys.js';
import {
  parseCheckValue,
  parseCryptData,
  parseMac,
  parsePinBlock,
  parseReply,
  parseUserInfo,
} from '../../../../drivers/protocols/zt588/reply.js';
import { Zt588StreamDecoder } from '../../../../drivers/protocols/zt588/stream-decoder.js';
import { CommandFrameReader, frameReply } from '../../../../simulators/pin-pad-zt588/wire.js';
import { COMMANDS, REPLIES } from '../../../fixtures/zt588/frames.js';

const KEY = Uint8Array.from(Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex'));
const TMK = Uint8Array.from(Buffer.from('00112233445566778899AABBCCDDEEFF', 'hex'));

/** Each golden command and the builder call that must produce it. */
const BUILT: [keyof typeof COMMANDS, cmd.Zt588Command][] = [
  ['readUserInfo', cmd.readUserInfo()],
  ['setHexMode', cmd.setHexMode()],
  ['reset', cmd.misc('reset')],
  ['disableInput', cmd.misc('disableInput')],
  ['enableInput', cmd.misc('enableInput')],
  ['beep', cmd.misc('beep')],
  ['pinMaskStar', cmd.setPinMask(0x2a)],
  ['inputTimeout30', cmd.setInputTimeout(30)],
  ['minLength4', cmd.setPinLength('min', 4)],
  ['maxLength12', cmd.setPinLength('max', 12)],
  ['getPin', cmd.getPinBlock()],
  ['deleteKey40', cmd.deleteKey(0x40)],
  ['startPin', cmd.startPinEntry(0x40, 'iso0', 0, 4, '123456789012')],
  ['loadEncryptedPik', cmd.loadEncryptedKey(0x00, 0x40, 'tpk', cmd.KEY_LENGTH_CODES.tdes2, KEY)],
  ['loadPlainTmk', cmd.loadPlainKey(0x00, 'tmk', cmd.KEY_LENGTH_CODES.tdes2, TMK)],
  ['loadScanCodes', cmd.loadScanCodes(DEFAULT_SCAN_CODES)],
  ['getPinBlockIso0', cmd.getPinBlock({ slot: 0x40, format: 'iso0', pan: '4012345678909' })],
  ['macWhole', cmd.generateMac(0x41, 0, true, Buffer.from('Now is the time for all ', 'ascii'))],
  ['macLastPiece', cmd.generateMac(0x41, 480, true, Uint8Array.of(0xab))],
  ['cryptEncrypt', cmd.cryptData(0x43, 'E', Buffer.from('00112233445566778899AABBCCDDEEFF', 'hex'))],
];

describe('ZT588 codec against the golden frames', () => {
  it.each(BUILT)('generates %s', (name, command) => {
    expect([...encodeFrame(ascii(command.text))]).toEqual([...COMMANDS[name]]);
  });

  it.each(BUILT)('parses %s back to its text', (name, command) => {
    expect(textOf(decodeFrame(COMMANDS[name]))).toBe(command.text);
  });

  it.each(BUILT)('mirror: the simulator reads %s', (name, command) => {
    expect(new CommandFrameReader().push(COMMANDS[name])).toEqual([command.text]);
  });

  it('mirror: the simulator frames the golden replies byte for byte', () => {
    for (const golden of Object.values(REPLIES)) {
      const text = decodeFrame(golden);
      expect([...frameReply([...text])]).toEqual([...golden]);
    }
  });

  it('parses error, check-value, PIN-block and user-information replies', () => {
    expect(() => parseReply(decodeFrame(REPLIES.keyNotFound))).toThrow(Zt588DeviceError);
    try {
      parseReply(decodeFrame(REPLIES.dataError));
    } catch (err) {
      expect(err).toMatchObject({ code: 0xe9, errorName: 'dataError' });
    }
    expect(Buffer.from(parseCheckValue(parseReply(decodeFrame(REPLIES.checkValue)).body)).toString('hex')).toBe('0123abcd');
    const block = parsePinBlock(parseReply(decodeFrame(REPLIES.pinBlock)).body);
    expect(block).toMatchObject({ track: 0, pinLength: 4 });
    expect(Buffer.from(block.pinBlock).toString('hex')).toBe('12345678abcdef00');
    const info = parseUserInfo(parseReply(decodeFrame(REPLIES.userInfo)).body);
    expect(info).toMatchObject({
      userData: 'KIOSK-01',
      functionCode: '0000000A',
      model: 'ZT588',
      hardwareVersion: 'H10',
      softwareVersion: 'S21',
      productionDate: '2401',
      serialNumber: '0588',
      settings: { blank: false, sound: true, inputEnabled: false, inputTimeSeconds: 30, pinMask: 0x2a, minLength: 4, maxLength: 12, hexMode: true },
    });
    expect([...info.scanCodes]).toEqual([...DEFAULT_SCAN_CODES]);
  });

  it('parses MAC and crypt replies (extensions), refusing the wrong lengths', () => {
    expect(Buffer.from(parseMac(parseReply(decodeFrame(REPLIES.mac)).body)).toString('hex')).toBe('a1c72e74ea3fa9b6');
    const crypt = parseReply(decodeFrame(REPLIES.cryptData)).body;
    expect(Buffer.from(parseCryptData(crypt, 16)).toString('hex')).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
    expect(() => parseCryptData(crypt, 8)).toThrow(/16|8/);
    expect(() => parseMac('A1C72E74')).toThrow();
  });

  it('keeps MAC and crypt pieces within a frame and refuses what does not fit', () => {
    const longest = cmd.generateMac(0xff, cmd.MAX_MAC_BYTES - cmd.MAC_CHUNK_BYTES, true, new Uint8Array(cmd.MAC_CHUNK_BYTES));
    expect(encodeFrame(ascii(longest.text)).length).toBeLessThanOrEqual(999 + 7);
    expect(() => cmd.generateMac(0x41, 0, true, new Uint8Array(cmd.MAC_CHUNK_BYTES + 1))).toThrow(RangeError);
    expect(() => cmd.generateMac(0x41, cmd.MAX_MAC_BYTES, true, Uint8Array.of(1))).toThrow(RangeError);
    const crypt = cmd.cryptData(0x43, 'D', new Uint8Array(cmd.CRYPT_CHUNK_BYTES));
    expect(encodeFrame(ascii(crypt.text)).length).toBeLessThanOrEqual(999 + 7);
    expect(() => cmd.cryptData(0x43, 'D', new Uint8Array(cmd.CRYPT_CHUNK_BYTES + 16))).toThrow(RangeError);
  });

  it('names each decode failure', () => {
    const good = COMMANDS.readUserInfo;
    const kind = (bytes: Uint8Array): string => {
      try {
        decodeFrame(bytes);
        return 'ok';
      } catch (err) {
        return (err as Zt588FrameError).kind;
      }
    };
    expect(kind(good.slice(1))).toBe('badStart');
    expect(kind(good.slice(0, 6))).toBe('truncated');
    expect(kind(Uint8Array.from([0x02, 0x30, 0x41, 0x31, 0x33, 0x03, 0x30, 0x31]))).toBe('badLength');
    expect(kind(Uint8Array.from([0x02, 0x30, 0x30, 0x31, 0x33, 0x04, 0x30, 0x31]))).toBe('badEtx');
    expect(kind(Uint8Array.from([0x02, 0x30, 0x30, 0x31, 0x33, 0x03, 0x30, 0x32]))).toBe('badChecksum');
  });

  it('decodes key reports: mask, time-out marker, scan codes, noise', () => {
    expect(decodeKeyReport(0x2a, DEFAULT_SCAN_CODES, 0x2a)).toEqual({ kind: 'maskedDigit' });
    expect(decodeKeyReport(0x80, DEFAULT_SCAN_CODES, 0x2a)).toEqual({ kind: 'entryEnded' });
    expect(decodeKeyReport(0x0d, DEFAULT_SCAN_CODES, 0x2a)).toEqual({ kind: 'key', key: 'enter' });
    expect(decodeKeyReport(0x23, DEFAULT_SCAN_CODES, 0x2a)).toEqual({ kind: 'key', key: '00' });
    expect(decodeKeyReport(0x48, DEFAULT_SCAN_CODES, 0x2a)).toEqual({ kind: 'key', key: 'H' });
    expect(decodeKeyReport(0xff, DEFAULT_SCAN_CODES, 0x2a)).toBeUndefined();
  });
});

describe('ZT588 stream decoder', () => {
  it('separates key bytes from frames split across chunks', () => {
    const decoder = new Zt588StreamDecoder();
    const stream = Uint8Array.from([0x2a, ...COMMANDS.readUserInfo, 0x0d, ...REPLIES.checkValue]);
    const tokens = [...stream].flatMap((b) => decoder.push(Uint8Array.of(b)));
    expect(tokens.map((t) => t.type)).toEqual(['byte', 'frame', 'byte', 'frame']);
  });

  it('resynchronises after garbage, a damaged frame and a frame cut short', () => {
    const decoder = new Zt588StreamDecoder();
    const damaged = COMMANDS.reset.slice();
    damaged[damaged.length - 1] = (damaged[damaged.length - 1] as number) ^ 0x01;
    const cut = COMMANDS.readUserInfo.slice(0, 5);
    const tokens = decoder.push(Uint8Array.from([0x02, 0x41, 0x42, 0x43, 0x1b, ...damaged, ...cut, ...COMMANDS.getPin]));
    expect(tokens.map((t) => (t.type === 'rejected' ? t.error.kind : t.type))).toEqual([
      'badLength',
      'byte',
      'badChecksum',
      'interrupted',
      'frame',
    ]);
    const last = tokens[tokens.length - 1];
    expect(last?.type === 'frame' && textOf(last.text)).toBe('7');
  });

  it('never throws and always recovers a good frame that follows random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 1, max: 17 }), (noise, chunk) => {
        const decoder = new Zt588StreamDecoder();
        // An STX in the noise may open a long bogus frame; a real frame's STX cuts it short.
        const stream = Uint8Array.from([...noise, ...COMMANDS.loadPlainTmk]);
        const tokens = [];
        for (let i = 0; i < stream.length; i += chunk) tokens.push(...decoder.push(stream.subarray(i, i + chunk)));
        const frames = tokens.filter((t) => t.type === 'frame');
        expect(frames.length).toBeGreaterThanOrEqual(1);
        const last = frames[frames.length - 1];
        expect(last?.type === 'frame' && textOf(last.text)).toBe(cmd.loadPlainKey(0, 'tmk', 1, TMK).text);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips any ASCII text, and rejects any single corrupted byte', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 120 }).map((s) => ascii(s.replace(/[^\x20-\x7e]/g, 'x'))),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (text, at, flip) => {
          const frame = encodeFrame(text);
          expect([...decodeFrame(frame)]).toEqual([...text]);
          const bad = frame.slice();
          const index = at % bad.length;
          bad[index] = (bad[index] as number) ^ flip;
          expect(() => decodeFrame(bad)).toThrow(Zt588FrameError);
        },
      ),
      { numRuns: 300 },
    );
  });
});
