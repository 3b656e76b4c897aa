import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  commands,
  parseBillTable,
  parseIdentification,
  typeMask,
} from '../../../../drivers/protocols/ccnet/commands.js';
import { crc16Kermit } from '../../../../drivers/protocols/ccnet/crc.js';
import { BILL_VALIDATOR, CcnetStreamDecoder, encodeFrame } from '../../../../drivers/protocols/ccnet/frame.js';
import { parseState } from '../../../../drivers/protocols/ccnet/states.js';
import { CCNET } from '../../../fixtures/ccnet/frames.js';

const frame = (data: Uint8Array) => encodeFrame({ address: BILL_VALIDATOR, data });

describe('CCNET CRC-16/KERMIT', () => {
  it('has the catalogue check value 0x2189', () => {
    expect(crc16Kermit(new TextEncoder().encode('123456789'))).toBe(0x2189);
  });
});

describe('CCNET frames (protocols.md golden vectors)', () => {
  it.each([
    ['reset', commands.reset(), CCNET.reset],
    ['poll', commands.poll(), CCNET.poll],
    ['ack', Uint8Array.of(0x00), CCNET.ack],
    ['nak', Uint8Array.of(0xff), CCNET.nak],
    ['stack', commands.stack(), CCNET.stack],
    ['return', commands.return(), CCNET.return],
    ['hold', commands.hold(), CCNET.hold],
    [
      'enable all, no escrow',
      commands.enableBillTypes(
        Array.from({ length: 24 }, (_, i) => i),
        [],
      ),
      CCNET.enableAllNoEscrow,
    ],
  ])('encodes %s and decodes it back', (_name, data, golden) => {
    expect(frame(data)).toEqual(golden);
    expect(new CcnetStreamDecoder().push(golden)).toEqual([{ kind: 'frame', frame: { address: 3, data } }]);
  });

  it('resyncs after noise, a bad CRC and a split chunk', () => {
    const bad = CCNET.poll.slice();
    bad[5] = bad[5]! ^ 1;
    const d = new CcnetStreamDecoder();
    const out = [...d.push(Uint8Array.from([0x55, ...bad, ...CCNET.ack.slice(0, 3)])), ...d.push(CCNET.ack.slice(3))];
    expect(out.filter((o) => o.kind === 'frame')).toEqual([
      { kind: 'frame', frame: { address: 3, data: Uint8Array.of(0) } },
    ]);
    expect(out.some((o) => o.kind === 'error' && o.error === 'badCrc')).toBe(true);
  });

  it('never throws on random input and finds a frame sent after it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.uint8Array({ minLength: 1, maxLength: 30 }), (noise, data) => {
        const d = new CcnetStreamDecoder();
        d.push(noise);
        const frames = d
          .push(Uint8Array.from([...frame(data), ...frame(data), ...frame(data)]))
          .filter((o) => o.kind === 'frame');
        // A long frame announced by the noise can swallow at most the first copies.
        if (frames.length > 0) expect(frames.at(-1)).toEqual({ kind: 'frame', frame: { address: 3, data } });
      }),
    );
  });
});

describe('CCNET states and tables', () => {
  it('parses escrow, stacked, rejecting with its reason and the extension states', () => {
    expect(parseState(Uint8Array.of(0x80, 3))).toEqual({ name: 'escrow', billType: 3 });
    expect(parseState(Uint8Array.of(0x81, 2))).toEqual({ name: 'stacked', billType: 2 });
    expect(parseState(Uint8Array.of(0x1c, 0x68))).toEqual({ name: 'rejecting', reason: 'inhibit' });
    expect(parseState(Uint8Array.of(0x41))).toEqual({ name: 'cassetteFull' });
    expect(parseState(Uint8Array.of(0x90, 1, 1, 2, 0x41, 0x42))).toEqual({
      name: 'escrowed',
      billType: 1,
      unfit: true,
      serial: 'AB',
    });
    expect(parseState(Uint8Array.of(0x90, 1, 1, 5))).toBeUndefined();
    expect(parseState(Uint8Array.of(0xee))).toEqual({ name: 'unknown', code: 0xee });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 20 }), (b) => void parseState(b)));
  });

  it('puts bill type 0 in the last mask byte', () => {
    expect(typeMask([0, 9, 23])).toEqual([0x80, 0x02, 0x01]);
  });

  it('parses the bill table and identification', () => {
    const rows = new Uint8Array(120);
    rows.set([1, 0x43, 0x4e, 0x59, 2], 5 * 3); // type 3: 1 × 10^2 CNY = 100 yuan
    rows.set([5, 0x43, 0x4e, 0x59, 1], 0);
    expect(parseBillTable(rows)).toEqual([
      { type: 0, currency: 'CNY', value: 5000 },
      { type: 3, currency: 'CNY', value: 10000 },
    ]);
    expect(parseBillTable(rows.subarray(1))).toBeUndefined();
    const id = new TextEncoder().encode('SM-CN3314      41K001234567\0\0\0\0\0\0\0');
    expect(parseIdentification(id)).toEqual({ partNumber: 'SM-CN3314', serialNumber: '41K001234567' });
  });
});
