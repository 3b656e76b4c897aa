import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../drivers/common/clock.js';
import type { KeyAlgorithm, PinEntryRequest } from '../../../../drivers/pin-pad/contract.js';
import { MemoryPinPad, type BlockCipher, type MemoryPinPadOptions } from '../../../../drivers/pin-pad/memory.js';
import { ISO9797_B4, cbcMacByNode, retailMacByNode } from '../../../contract/reference-mac.js';

const signal = new AbortController().signal;
const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

function cipherName(algorithm: KeyAlgorithm, key: Uint8Array): string {
  if (algorithm === 'tdes') return key.length === 16 ? 'des-ede-ecb' : 'des-ede3-ecb';
  if (algorithm === 'aes') return `aes-${key.length * 8}-ecb`;
  return 'sm4-ecb';
}
function ecb(decrypt: boolean): BlockCipher {
  return (key, data, algorithm) => {
    const c = (decrypt ? createDecipheriv : createCipheriv)(cipherName(algorithm, key), key, null);
    c.setAutoPadding(false);
    return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
  };
}
const encrypt = ecb(false);
const decrypt = ecb(true);

const TPK = hex('0123456789ABCDEFFEDCBA9876543210');
const AES_KEY = hex('000102030405060708090A0B0C0D0E0F');
const SM4_KEY = hex('0123456789ABCDEFFEDCBA9876543210');
const PAN = '5432101234567890';
const PIN_REQUEST: PinEntryRequest = {
  minLen: 4,
  maxLen: 6,
  autoEnd: false,
  activeKeys: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'clear', 'backspace'],
  terminateKeys: ['enter', 'cancel'],
};

function makePad(clock = new ManualClock(), options: Partial<MemoryPinPadOptions> = {}) {
  return new MemoryPinPad({
    id: 'pinPad',
    clock,
    encryptBlock: encrypt,
    decryptBlock: decrypt,
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
    ...options,
  });
}

/** Lets the command queue start a queued entry. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

async function enterPin(pad: MemoryPinPad, pin: string) {
  const entry = pad.pinEntry(PIN_REQUEST, signal);
  await settle();
  for (const d of pin) pad.pressKey(d as '0');
  pad.pressKey('enter');
  return entry;
}

describe('MemoryPinPad', () => {
  let clock: ManualClock;
  let pad: MemoryPinPad;
  beforeEach(async () => {
    clock = new ManualClock();
    pad = makePad(clock);
    await pad.open(signal);
    await pad.importKey({ key: 'tpk', usage: 'P0', algorithm: 'tdes', value: TPK }, signal);
  });

  describe('pinEntry', () => {
    it('reports a digit count and key events that never carry the digit', async () => {
      const events: unknown[] = [];
      pad.on('keyPressed', (e) => events.push(e));
      const entry = pad.pinEntry(PIN_REQUEST, signal);
      await settle();
      expect(pad.getStatus().entry).toBe('pin');
      for (const d of '1234') expect(pad.pressKey(d as '1')).toBe(true);
      expect(pad.pressKey('enter')).toBe(true);
      expect(await entry).toEqual({ completionCode: 'success', payload: { digits: 4, completion: 'enter' } });
      expect(events).toEqual([
        ...new Array(4).fill({ completion: 'continue', digit: null }),
        { completion: 'enter', digit: null },
      ]);
      expect(pad.getStatus().entry).toBe('none');
      expect(pad.pressKey('5')).toBe(false);
    });

    it('ignores enter below minLen and digits above maxLen; honours clear and backspace', async () => {
      const entry = pad.pinEntry(PIN_REQUEST, signal);
      await settle();
      pad.pressKey('1');
      expect(pad.pressKey('enter')).toBe(false);
      pad.pressKey('clear');
      for (const d of '9876543') pad.pressKey(d as '9');
      pad.pressKey('backspace');
      expect(pad.pressKey('help')).toBe(false);
      pad.pressKey('enter');
      expect(await entry).toMatchObject({ payload: { digits: 5, completion: 'enter' } });
      const block = await pad.getPinBlock({ key: 'tpk', customerData: PAN, format: 'iso0' }, signal);
      if (block.completionCode !== 'success') throw new Error(block.errorDescription);
      // PIN 98765: 0598765FFFFFFFFF XOR 0000210123456789
      expect(toHex(decrypt(TPK, block.payload.pinBlock, 'tdes'))).toBe('0598575EDCBA9876');
    });

    it('ends by itself at maxLen with autoEnd', async () => {
      const entry = pad.pinEntry({ ...PIN_REQUEST, autoEnd: true, maxLen: 4, terminateKeys: [] }, signal);
      await settle();
      for (const d of '4321') pad.pressKey(d as '4');
      expect(await entry).toMatchObject({ payload: { digits: 4, completion: 'auto' } });
    });

    it('discards the PIN when cancelled', async () => {
      const entry = pad.pinEntry(PIN_REQUEST, signal);
      await settle();
      pad.pressKey('1');
      pad.pressKey('cancel');
      expect(await entry).toMatchObject({ payload: { digits: 0, completion: 'cancel' } });
      expect(await pad.getPinBlock({ key: 'tpk', customerData: PAN, format: 'iso0' }, signal)).toMatchObject({
        errorCode: 'noPin',
      });
    });

    it('fails with entryTimeout when no key comes in time, each key restarting the timer', async () => {
      const entry = pad.pinEntry({ ...PIN_REQUEST, entryTimeoutMs: 5_000 }, signal);
      await settle();
      clock.advance(4_999);
      pad.pressKey('1');
      clock.advance(4_999);
      let done = false;
      void entry.then(() => (done = true));
      await settle();
      expect(done).toBe(false);
      clock.advance(1);
      expect(await entry).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'entryTimeout' });
      expect(pad.pressKey('2')).toBe(false);
    });

    it('uses the configured default timeout', async () => {
      const entry = pad.pinEntry(PIN_REQUEST, signal);
      await settle();
      clock.advance(30_000);
      expect(await entry).toMatchObject({ errorCode: 'entryTimeout' });
      expect(clock.pending).toBe(0);
    });

    it('completes canceled on abort and keeps no PIN', async () => {
      await enterPin(pad, '1234');
      const controller = new AbortController();
      const entry = pad.pinEntry(PIN_REQUEST, controller.signal);
      await settle();
      pad.pressKey('9');
      controller.abort();
      expect((await entry).completionCode).toBe('canceled');
      expect(await pad.getPinBlock({ key: 'tpk', customerData: PAN, format: 'iso0' }, signal)).toMatchObject({
        errorCode: 'noPin',
      });
      expect(clock.pending).toBe(0);
    });

    it.each([
      [{ activeKeys: [] }, 'noActivekeys'],
      [{ terminateKeys: [], autoEnd: false }, 'noTerminatekeys'],
      [{ minLen: 7, maxLen: 6 }, 'minimumLength'],
      [{ activeKeys: ['bogus'] }, 'keyInvalid'],
    ] as const)('rejects %o with %s', async (patch, errorCode) => {
      expect(await pad.pinEntry({ ...PIN_REQUEST, ...patch } as PinEntryRequest, signal)).toMatchObject({
        completionCode: 'commandErrorCode',
        errorCode,
      });
    });

    it('rejects keys the pad does not have with keyNotSupported', async () => {
      const small = makePad(clock, { capabilities: { keys: ['one', 'enter'] } });
      await small.open(signal);
      expect(await small.pinEntry({ ...PIN_REQUEST, activeKeys: ['one', 'two'] }, signal)).toMatchObject({
        errorCode: 'keyNotSupported',
      });
    });
  });

  describe('getPinBlock', () => {
    it('builds ISO 9564 format 0 (PIN field XOR 12 PAN digits without check digit)', async () => {
      await enterPin(pad, '1234');
      const block = await pad.getPinBlock({ key: 'tpk', customerData: PAN, format: 'iso0' }, signal);
      if (block.completionCode !== 'success') throw new Error(block.errorDescription);
      expect(block.payload.pinBlock).toHaveLength(8);
      expect(toHex(decrypt(TPK, block.payload.pinBlock, 'tdes'))).toBe('041215FEDCBA9876');
    });

    it('builds format 1 (random fill, no PAN) and format 3 (fill A..F)', async () => {
      await enterPin(pad, '1234');
      const f1 = await pad.getPinBlock({ key: 'tpk', customerData: '', format: 'iso1' }, signal);
      const f3 = await pad.getPinBlock({ key: 'tpk', customerData: PAN, format: 'iso3' }, signal);
      if (f1.completionCode !== 'success' || f3.completionCode !== 'success') throw new Error('failed');
      expect(toHex(decrypt(TPK, f1.payload.pinBlock, 'tdes'))).toMatch(/^141234[0-9A-F]{10}$/);
      const clear3 = decrypt(TPK, f3.payload.pinBlock, 'tdes').map((b, i) => b ^ (hex('0000210123456789')[i] ?? 0));
      expect(toHex(clear3)).toMatch(/^341234[A-F]{10}$/);
    });

    it('builds format 4 under AES (two encryptions around the PAN field)', async () => {
      await pad.importKey({ key: 'aesPin', usage: 'P0', algorithm: 'aes', value: AES_KEY }, signal);
      await enterPin(pad, '1234');
      const block = await pad.getPinBlock({ key: 'aesPin', customerData: PAN, format: 'iso4' }, signal);
      if (block.completionCode !== 'success') throw new Error(block.errorDescription);
      expect(block.payload.pinBlock).toHaveLength(16);
      const panField = hex(`4${PAN}`.padEnd(32, '0'));
      const intermediate = decrypt(AES_KEY, block.payload.pinBlock, 'aes').map((b, i) => b ^ (panField[i] ?? 0));
      expect(toHex(decrypt(AES_KEY, intermediate, 'aes'))).toMatch(/^441234AAAAAAAAAA[0-9A-F]{16}$/);
    });

    it('builds the SM4 variant (16-byte format 0 layout)', async () => {
      await pad.importKey({ key: 'sm4Pin', usage: 'P0', algorithm: 'sm4', value: SM4_KEY }, signal);
      await enterPin(pad, '1234');
      const block = await pad.getPinBlock({ key: 'sm4Pin', customerData: PAN, format: 'sm4' }, signal);
      if (block.completionCode !== 'success') throw new Error(block.errorDescription);
      expect(toHex(decrypt(SM4_KEY, block.payload.pinBlock, 'sm4'))).toBe('041234FFFFFFFFFFFFFFDEFEDCBA9876');
    });

    it('refuses keys that do not fit', async () => {
      await pad.importKey({ key: 'kek', usage: 'K0', algorithm: 'tdes', value: TPK }, signal);
      await pad.importKey({ key: 'aesPin', usage: 'P0', algorithm: 'aes', value: AES_KEY }, signal);
      await enterPin(pad, '1234');
      const req = { customerData: PAN, format: 'iso0' } as const;
      expect(await pad.getPinBlock({ ...req, key: 'missing' }, signal)).toMatchObject({ errorCode: 'keyNotFound' });
      expect(await pad.getPinBlock({ ...req, key: 'kek' }, signal)).toMatchObject({ errorCode: 'useViolation' });
      expect(await pad.getPinBlock({ ...req, key: 'aesPin' }, signal)).toMatchObject({ errorCode: 'useViolation' });
      expect(await pad.getPinBlock({ ...req, key: 'tpk', customerData: '12AB' }, signal)).toMatchObject({
        completionCode: 'invalidData',
      });
    });

    it('refuses formats the pad does not offer', async () => {
      const iso0Only = makePad(clock, { capabilities: { pinFormats: ['iso0'] } });
      await iso0Only.open(signal);
      expect(await iso0Only.getPinBlock({ key: 'tpk', customerData: PAN, format: 'sm4' }, signal)).toMatchObject({
        errorCode: 'formatNotSupported',
      });
    });

    it('reports keyNoValue after a tamper erased the keys', async () => {
      pad.tamper();
      expect(pad.getStatus().encryptionState).toBe('notReady');
      const detail = await pad.getKeyDetail({ key: 'tpk' }, signal);
      expect(detail).toMatchObject({ payload: [{ key: 'tpk', keyStatus: 'noValue' }] });
      await enterPin(pad, '1234');
      expect(await pad.getPinBlock({ key: 'tpk', customerData: PAN, format: 'iso0' }, signal)).toMatchObject({
        errorCode: 'keyNoValue',
      });
    });
  });

  describe('key management', () => {
    it('returns the KCV of a clear key', async () => {
      const result = await pad.importKey({ key: 'tpk2', usage: 'P0', algorithm: 'tdes', value: TPK }, signal);
      expect(result).toEqual({ completionCode: 'success', payload: { kcv: hex('08D7B4'), keyLength: 128 } });
      expect(pad.getStatus().encryptionState).toBe('ready');
    });

    it('unwraps a key encrypted under a K0 key', async () => {
      const kek = hex('89ABCDEF0123456776543210FEDCBA98');
      await pad.importKey({ key: 'kek', usage: 'K0', algorithm: 'tdes', value: kek }, signal);
      const wrapped = encrypt(kek, TPK, 'tdes');
      const result = await pad.importKey(
        { key: 'tpk', usage: 'P0', algorithm: 'tdes', value: wrapped, decryptKey: 'kek' },
        signal,
      );
      expect(result).toMatchObject({ payload: { kcv: hex('08D7B4') } });
    });

    it('refuses bad imports', async () => {
      const base = { key: 'x', usage: 'P0', algorithm: 'tdes' } as const;
      expect(await pad.importKey({ ...base, value: hex('0011') }, signal)).toMatchObject({
        errorCode: 'invalidKeyLength',
      });
      expect(await pad.importKey({ ...base, value: TPK, decryptKey: 'nope' }, signal)).toMatchObject({
        errorCode: 'keyNotFound',
      });
      expect(await pad.importKey({ ...base, value: TPK, decryptKey: 'tpk' }, signal)).toMatchObject({
        errorCode: 'useViolation',
      });
      const production = makePad(clock, { allowClearKeys: false });
      await production.open(signal);
      expect(await production.importKey({ ...base, value: TPK }, signal)).toMatchObject({ errorCode: 'accessDenied' });
    });

    it('answers getKeyDetail at once, even while an entry waits', async () => {
      const entry = pad.pinEntry(PIN_REQUEST, signal);
      await settle();
      const detail = await pad.getKeyDetail({}, signal);
      expect(detail).toEqual({
        completionCode: 'success',
        payload: [{ key: 'tpk', usage: 'P0', algorithm: 'tdes', modeOfUse: 'E', keyLength: 128, keyStatus: 'loaded' }],
      });
      pad.pressKey('cancel');
      await entry;
    });

    it('deletes keys and initializes', async () => {
      expect(await pad.deleteKey({ key: 'nope' }, signal)).toMatchObject({ errorCode: 'keyNotFound' });
      expect((await pad.deleteKey({ key: 'tpk' }, signal)).completionCode).toBe('success');
      expect(pad.getStatus().encryptionState).toBe('notInitialized');
      await pad.importKey({ key: 'tpk', usage: 'P0', algorithm: 'tdes', value: TPK }, signal);
      let initialized = 0;
      pad.on('initialized', () => initialized++);
      await enterPin(pad, '1234');
      expect((await pad.initialization(undefined, signal)).completionCode).toBe('success');
      expect(initialized).toBe(1);
      expect(await pad.getKeyDetail({}, signal)).toMatchObject({ payload: [] });
      expect(pad.getStatus().encryptionState).toBe('initialized');
    });
  });

  describe('generateAuthentication', () => {
    const MAK = hex(ISO9797_B4.key);
    const mac = async (key: string, data: Uint8Array) => pad.generateAuthentication({ key, data }, signal);

    it('computes ISO 9797-1 algorithm 3 (X9.19) under an M3 key: the ISO 9797-1 B.4 vectors', async () => {
      await pad.importKey({ key: 'mak', usage: 'M3', algorithm: 'tdes', value: MAK }, signal);
      for (const { data, mac: expected } of ISO9797_B4.vectors) {
        expect(await mac('mak', Buffer.from(data, 'ascii'))).toEqual({
          completionCode: 'success',
          payload: { authenticationData: hex(expected) },
        });
      }
    });

    it('agrees with node:crypto on any message, for algorithm 3 (M3) and algorithm 1 (M1)', async () => {
      await pad.importKey({ key: 'mak', usage: 'M3', algorithm: 'tdes', value: MAK }, signal);
      await pad.importKey({ key: 'mak1', usage: 'M1', algorithm: 'tdes', value: TPK }, signal);
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (data) => {
          const three = await mac('mak', data);
          const one = await mac('mak1', data);
          expect(three.completionCode === 'success' && toHex(three.payload.authenticationData)).toBe(
            toHex(retailMacByNode(MAK, data)),
          );
          expect(one.completionCode === 'success' && toHex(one.payload.authenticationData)).toBe(
            toHex(cbcMacByNode(TPK, data)),
          );
        }),
        { numRuns: 100 },
      );
    });

    it('refuses keys that are not MAC keys, may not generate, or need an algorithm it lacks', async () => {
      await pad.importKey({ key: 'verify', usage: 'M3', algorithm: 'tdes', modeOfUse: 'V', value: MAK }, signal);
      await pad.importKey({ key: 'cmac', usage: 'M6', algorithm: 'aes', value: AES_KEY }, signal);
      const data = hex('00');
      expect(await mac('tpk', data)).toMatchObject({ errorCode: 'useViolation' });
      expect(await mac('verify', data)).toMatchObject({ errorCode: 'modeOfUseNotSupported' });
      expect(await mac('cmac', data)).toMatchObject({ errorCode: 'cryptoMethodNotSupported' });
      expect(await mac('nope', data)).toMatchObject({ errorCode: 'keyNotFound' });
      pad.tamper();
      expect(await mac('verify', data)).toMatchObject({ errorCode: 'keyNoValue' });
    });

    it('loads a MAK under the TMK only when its check value matches', async () => {
      await pad.importKey({ key: 'tmk', usage: 'K0', algorithm: 'tdes', value: TPK }, signal);
      const wrapped = encrypt(TPK, MAK, 'tdes');
      const kcv = encrypt(MAK, new Uint8Array(8), 'tdes').slice(0, 4);
      const base = { key: 'mak', usage: 'M3', algorithm: 'tdes', value: wrapped, decryptKey: 'tmk' } as const;
      expect(await pad.importKey({ ...base, verificationData: hex('00000000') }, signal)).toMatchObject({
        errorCode: 'verificationFailed',
      });
      expect(await pad.getKeyDetail({ key: 'mak' }, signal)).toMatchObject({ errorCode: 'keyNotFound' });
      expect((await pad.importKey({ ...base, verificationData: kcv }, signal)).completionCode).toBe('success');
      expect(await pad.getKeyDetail({ key: 'mak' }, signal)).toMatchObject({
        payload: [{ key: 'mak', usage: 'M3', modeOfUse: 'C' }],
      });
    });
  });

  describe('cryptoData', () => {
    const crypt = (key: string, modeOfUse: 'E' | 'D', data: Uint8Array) =>
      pad.cryptoData({ key, modeOfUse, cryptoMethod: 'ecb', data }, signal);

    it('encrypts and decrypts ECB under a D0 key as node:crypto does', async () => {
      await pad.importKey({ key: 'dsk', usage: 'D0', algorithm: 'aes', value: AES_KEY }, signal);
      const data = hex('00112233445566778899AABBCCDDEEFF0123456789ABCDEF0123456789ABCDEF');
      const encrypted = await crypt('dsk', 'E', data);
      expect(encrypted.completionCode === 'success' && toHex(encrypted.payload.data)).toBe(
        toHex(encrypt(AES_KEY, data, 'aes')),
      );
      if (encrypted.completionCode !== 'success') return;
      expect(await crypt('dsk', 'D', encrypted.payload.data)).toEqual({
        completionCode: 'success',
        payload: { data },
      });
    });

    it('refuses other keys, modes of use, methods and partial blocks', async () => {
      await pad.importKey({ key: 'enc', usage: 'D0', algorithm: 'tdes', modeOfUse: 'E', value: TPK }, signal);
      expect(await crypt('tpk', 'E', hex('0011223344556677'))).toMatchObject({ errorCode: 'useViolation' });
      expect(await crypt('enc', 'D', hex('0011223344556677'))).toMatchObject({ errorCode: 'modeOfUseNotSupported' });
      expect(await crypt('enc', 'E', hex('00112233'))).toMatchObject({ completionCode: 'invalidData' });
      expect(
        await pad.cryptoData({ key: 'enc', modeOfUse: 'E', cryptoMethod: 'cbc' as 'ecb', data: hex('00') }, signal),
      ).toMatchObject({ errorCode: 'cryptoMethodNotSupported' });
    });
  });

  describe('dataEntry', () => {
    it('returns clear keys and shows them in events', async () => {
      const events: unknown[] = [];
      pad.on('keyPressed', (e) => events.push(e));
      const entry = pad.dataEntry(
        { maxLen: 0, autoEnd: false, activeKeys: ['one', 'zero', 'decPoint'], terminateKeys: ['fdk01'] },
        signal,
      );
      await settle();
      for (const k of ['one', 'zero', 'decPoint', 'five', 'fdk01'] as const) pad.pressKey(k);
      expect(await entry).toEqual({
        completionCode: 'success',
        payload: { keys: ['one', 'zero', 'decPoint'], completion: 'fdk01' },
      });
      expect(events).toContainEqual({ completion: 'continue', digit: 'zero' });
      expect(events.at(-1)).toEqual({ completion: 'fdk01', digit: null });
    });

    it('ends at maxLen with autoEnd', async () => {
      const entry = pad.dataEntry({ maxLen: 1, autoEnd: true, activeKeys: ['fdk01', 'fdk02'], terminateKeys: [] }, signal);
      await settle();
      pad.pressKey('fdk02');
      expect(await entry).toMatchObject({ payload: { keys: ['fdk02'], completion: 'auto' } });
    });
  });
});
