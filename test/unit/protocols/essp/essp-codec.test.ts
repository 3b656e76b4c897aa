import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commands, parseLevels, readU64le } from '../../../../drivers/protocols/essp/commands.js';
import { crc16Cms } from '../../../../drivers/protocols/essp/crc.js';
import {
  esspKey,
  finishHostExchange,
  isProbablePrime,
  modPow,
  packEncrypted,
  startHostExchange,
  unpackEncrypted,
} from '../../../../drivers/protocols/essp/encryption.js';
import { parsePollEvents } from '../../../../drivers/protocols/essp/events.js';
import { encodeFrame, EsspStreamDecoder } from '../../../../drivers/protocols/essp/frame.js';
import { aes128 } from '../../../../main/runtime/essp-security.js';
import { ENCRYPTED, PEER_ARGUMENTS, PLAIN } from '../../../fixtures/essp/frames.js';

const frameOf = (data: Uint8Array, seq = true) => encodeFrame({ seq, address: 0, data });
const decodeAll = (bytes: Uint8Array) => new EsspStreamDecoder().push(bytes);

describe('eSSP CRC-16/CMS', () => {
  it('has the catalogue check value 0xAEE7 for "123456789"', () => {
    expect(crc16Cms(new TextEncoder().encode('123456789'))).toBe(0xaee7);
  });
});

describe('eSSP plain frames (protocols.md golden vectors)', () => {
  it.each([
    ['sync', commands.sync(), PLAIN.sync],
    ['reset', commands.reset(), PLAIN.reset],
    ['poll', commands.poll(), PLAIN.poll],
    ['hold', commands.hold(), PLAIN.hold],
    ['set generator', commands.setGenerator(982451653n), PLAIN.setGenerator982451653],
  ])('encodes %s', (_name, data, golden) => {
    expect(frameOf(data)).toEqual(golden);
  });

  it('decodes the OK, FAIL and escrow replies', () => {
    const [ok] = decodeAll(PLAIN.okReply);
    expect(ok).toEqual({ kind: 'frame', frame: { seq: true, address: 0, data: Uint8Array.of(0xf0) } });
    const [escrow] = decodeAll(PLAIN.escrowCh3);
    expect(escrow?.kind === 'frame' && parsePollEvents(escrow.frame.data.slice(1))).toEqual({
      ok: true,
      events: [{ name: 'read', channel: 3 }],
    });
    const [reading] = decodeAll(PLAIN.reading);
    expect(reading?.kind === 'frame' && parsePollEvents(reading.frame.data.slice(1))).toEqual({
      ok: true,
      events: [{ name: 'read', channel: 0 }],
    });
    expect(decodeAll(PLAIN.failReply)[0]).toMatchObject({ kind: 'frame', frame: { data: Uint8Array.of(0xf8) } });
  });

  it('stuffs 0x7F in DATA and CRC and mirrors through the decoder', () => {
    const data = Uint8Array.of(0x7f, 0x01, 0x7f, 0x7f);
    const bytes = frameOf(data, false);
    expect([...bytes.slice(3, 9)]).toEqual([0x7f, 0x7f, 0x01, 0x7f, 0x7f, 0x7f]);
    expect(decodeAll(bytes)).toEqual([{ kind: 'frame', frame: { seq: false, address: 0, data } }]);
  });

  it('restarts on a lone STX and reports noise and bad CRCs', () => {
    const broken = PLAIN.poll.slice(0, 4);
    const out = decodeAll(Uint8Array.from([0x01, 0x02, ...broken, ...PLAIN.okReply]));
    expect(out.map((o) => (o.kind === 'error' ? o.error : 'frame'))).toEqual(['noise', 'restart', 'frame']);
    const bad = PLAIN.okReply.slice();
    bad[4] = bad[4]! ^ 0xff;
    expect(decodeAll(bad)).toEqual([{ kind: 'error', error: 'badCrc', bytes: 6 }]);
  });

  it('never throws on random, truncated or corrupted input and always finds a later frame', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.uint8Array({ minLength: 1, maxLength: 40 }), (noise, data) => {
        const d = new EsspStreamDecoder();
        d.push(noise);
        // Two good frames: the first may be swallowed by a packet the noise left open.
        const out = d.push(Uint8Array.from([...frameOf(data), ...frameOf(data, false)]));
        const frames = out.filter((o) => o.kind === 'frame');
        expect(frames.length).toBeGreaterThanOrEqual(1);
        expect(frames.at(-1)).toEqual({ kind: 'frame', frame: { seq: false, address: 0, data } });
      }),
    );
  });
});

describe('eSSP command arguments (npm peer layout)', () => {
  it.each([
    [
      'payout by denomination',
      commands.payoutByDenomination([
        { count: 2, value: 10000, currency: 'CNY' },
        { count: 1, value: 5000, currency: 'CNY' },
      ]),
      0x46,
      PEER_ARGUMENTS.payoutByDenomination,
    ],
    ['payout amount (test)', commands.payoutAmount(25000, 'CNY', true), 0x33, PEER_ARGUMENTS.payoutAmountTest],
    ['route to cashbox', commands.setDenominationRoute(true, 2000, 'CNY'), 0x3b, PEER_ARGUMENTS.routeToCashbox],
    ['set inhibits', commands.setInhibits([true, false, true, true]), 0x02, PEER_ARGUMENTS.inhibits134],
  ])('%s', (_name, bytes, code, args) => {
    expect(bytes).toEqual(Uint8Array.from([code, ...args]));
  });

  it('has the SMART Payout maintenance commands', () => {
    expect([commands.emptyAll(), commands.smartEmpty(), commands.getCounters()]).toEqual([
      Uint8Array.of(0x3f),
      Uint8Array.of(0x52),
      Uint8Array.of(0x58),
    ]);
  });
});

describe('eSSP poll events', () => {
  it('parses channel, value-list and extension events', () => {
    const body = Uint8Array.from([
      0xef, 0x00, 0xef, 0x02, 0xda, 1, 0x10, 0x27, 0, 0, 0x43, 0x4e, 0x59, 0x9a, 2, 1, 2, 0x41, 0x42, 0xe9,
    ]);
    expect(parsePollEvents(body)).toEqual({
      ok: true,
      events: [
        { name: 'read', channel: 0 },
        { name: 'read', channel: 2 },
        { name: 'dispensing', amounts: [{ value: 10000, currency: 'CNY' }] },
        { name: 'noteEscrowed', channel: 2, unfit: true, serial: 'AB' },
        { name: 'unsafeJam' },
      ],
    });
  });

  it('stops at an unknown or truncated event without throwing', () => {
    expect(parsePollEvents(Uint8Array.of(0xe8, 0x42))).toMatchObject({ ok: false, events: [{ name: 'disabled' }] });
    expect(parsePollEvents(Uint8Array.of(0xda, 2, 1))).toMatchObject({ ok: false });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 60 }), (b) => void parsePollEvents(b)));
  });

  it('parses Get All Levels', () => {
    expect(parseLevels(Uint8Array.of(1, 10, 0, 0x88, 0x13, 0, 0, 0x43, 0x4e, 0x59))).toEqual([
      { count: 10, value: 5000, currency: 'CNY' },
    ]);
    expect(parseLevels(Uint8Array.of(2, 1))).toBeUndefined();
  });
});

describe('eSSP encryption layer', () => {
  it('builds the AES key as fixed key LE ‖ negotiated key LE', () => {
    expect(esspKey(ENCRYPTED.negotiated)).toEqual(ENCRYPTED.key);
  });

  it('reproduces the encrypted Poll of the independent npm peer byte for byte', () => {
    const cipher = aes128(ENCRYPTED.key);
    const data = packEncrypted(cipher, 0, commands.poll(), (n) => new Uint8Array(n));
    expect(frameOf(data)).toEqual(ENCRYPTED.pollCount0);
    const [decoded] = decodeAll(ENCRYPTED.pollCount0);
    expect(decoded?.kind === 'frame' && unpackEncrypted(cipher, decoded.frame.data)).toEqual({
      ok: true,
      count: 0,
      data: Uint8Array.of(0x07),
    });
  });

  it('rejects a packet under the wrong key (inner CRC)', () => {
    const sealed = packEncrypted(aes128(ENCRYPTED.key), 5, commands.poll(), (n) => new Uint8Array(n));
    expect(unpackEncrypted(aes128(esspKey(42n)), sealed)).toEqual({ ok: false, reason: 'badCrc' });
    expect(unpackEncrypted(aes128(ENCRYPTED.key), sealed.slice(0, 10))).toEqual({ ok: false, reason: 'badLength' });
  });

  it('round-trips any payload and count', () => {
    const cipher = aes128(ENCRYPTED.key);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 100 }), fc.nat(), (data, count) => {
        const sealed = packEncrypted(cipher, count, data, (n) => new Uint8Array(n).fill(0xaa));
        expect((sealed.length - 1) % 16).toBe(0);
        expect(unpackEncrypted(cipher, sealed)).toEqual({ ok: true, count, data });
      }),
    );
  });

  it('agrees on the key with a slave doing the other half of Diffie–Hellman', () => {
    let seed = 7;
    const random = (n: number) => Uint8Array.from({ length: n }, () => (seed = (seed * 1103515245 + 12345) & 0xff));
    const host = startHostExchange(random);
    expect(isProbablePrime(host.generator) && isProbablePrime(host.modulus)).toBe(true);
    expect(host.generator).toBeGreaterThan(host.modulus);
    const slaveRandom = 123456789n;
    const slaveInter = modPow(host.generator, slaveRandom, host.modulus);
    expect(finishHostExchange(host, slaveInter)).toBe(modPow(host.hostInter, slaveRandom, host.modulus));
    expect(readU64le(commands.requestKeyExchange(host.hostInter), 1)).toBe(host.hostInter);
  });

  it('knows small primes and composites', () => {
    expect([2n, 3n, 982451653n, 1287821n].map(isProbablePrime)).toEqual([true, true, true, true]);
    expect([1n, 4n, 561n, 982451653n * 3n].map(isProbablePrime)).toEqual([false, false, false, false]);
  });
});
