import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Unsubscribe } from '../../drivers/common/events.js';
import type { PinEntryRequest, PinPadDevice, PinPadEvents } from '../../drivers/pin-pad/contract.js';
import { aes } from '../../main/crypto/aes.js';
import { fromHex, toHex, xor } from '../../main/crypto/bytes.js';
import { kcv } from '../../main/crypto/kcv.js';
import { decipherPinBlock, pinFromClearBlock } from '../../main/crypto/pin-block.js';
import { tdes } from '../../main/crypto/tdes.js';
import { ISO9797_B4, retailMacByNode } from './reference-mac.js';

/**
 * The PIN pad behaviour suite: runs unchanged against any PinPadDevice whose
 * customer side the rig can play (press keys, power, restart). The test knows
 * the keys it loads, so it can decrypt the PIN blocks and check them against
 * the published ISO 9564 vectors; the device under test never reveals a digit.
 */
export interface PinPadRig {
  readonly pad: PinPadDevice;
  /** The customer presses a key (developer-API names: '0'..'9', enter, cancel, clear, backspace, doubleZero, f1..). */
  press(key: string): void;
  /** The device loses or regains power; keys survive, the PIN does not. */
  power(on: boolean): void;
  /** The device (simulator process) restarts from its non-volatile state. */
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

const signal = (): AbortSignal => new AbortController().signal;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, condition: () => boolean, timeoutMs = 4000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Keys of the bench: double-length TDES TMK and PIK, AES-128 TMK and PIK. */
const TMK = fromHex('0123456789ABCDEFFEDCBA9876543210');
const PIK = fromHex('A1A2A3A4A5A6A7A8B1B2B3B4B5B6B7B8');
const AES_TMK = fromHex('00112233445566778899AABBCCDDEEFF');
const AES_PIK = fromHex('2B7E151628AED2A6ABF7158809CF4F3C');
/** host-crypto §3.1 / X9.24 Annex A: PIN 1234, PAN 4012345678909 → clear format-0 block. */
const PAN = '4012345678909';
const ISO0_CLEAR = '041274EDCBA9876F';

const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'] as const;
const PIN_REQUEST: PinEntryRequest = {
  minLen: 4,
  maxLen: 12,
  autoEnd: false,
  activeKeys: [...DIGITS, 'clear', 'backspace'],
  terminateKeys: ['enter', 'cancel'],
};

export function pinPadContract(name: string, makeRig: () => Promise<PinPadRig>): void {
  describe(`PIN pad contract over ${name}`, () => {
    let rig: PinPadRig;
    const events: PinPadEvents['keyPressed'][] = [];
    let offKeys: Unsubscribe | undefined;

    beforeAll(async () => {
      rig = await makeRig();
      const opened = await rig.pad.open(signal());
      expect(opened.completionCode).toBe('success');
      offKeys = rig.pad.on('keyPressed', (e) => events.push(e));
      expect((await rig.pad.initialization(undefined, signal())).completionCode).toBe('success');
    });
    afterAll(async () => {
      offKeys?.();
      await rig.pad.close();
      await rig.dispose();
    });

    /** Starts a PIN entry and plays `keys` once the pad is collecting. */
    async function enterPin(keys: readonly string[], request: Partial<PinEntryRequest> = {}) {
      events.length = 0;
      const entry = rig.pad.pinEntry({ ...PIN_REQUEST, ...request }, signal());
      await waitFor('PIN entry to start', () => rig.pad.getStatus().entry === 'pin');
      for (const key of keys) rig.press(key);
      return entry;
    }

    it('is online with its capabilities after opening', () => {
      expect(rig.pad.getStatus()).toMatchObject({ device: 'online', entry: 'none' });
      expect(rig.pad.getCapabilities().pinFormats).toEqual(expect.arrayContaining(['iso0', 'iso3', 'iso4']));
    });

    it('loads the TMK in clear and the PIK encrypted under it, checking the check value', async () => {
      const tmk = await rig.pad.importKey({ key: 'TMK', usage: 'K0', algorithm: 'tdes', value: TMK }, signal());
      expect(tmk).toMatchObject({ completionCode: 'success', payload: { keyLength: 128 } });
      if (tmk.completionCode === 'success') expect(toHex(tmk.payload.kcv)).toBe(toHex(kcv(tdes(TMK))));
      const pik = await rig.pad.importKey(
        {
          key: 'PIK',
          usage: 'P0',
          algorithm: 'tdes',
          decryptKey: 'TMK',
          value: tdes(TMK).encrypt(PIK),
          verificationData: kcv(tdes(PIK)),
        },
        signal(),
      );
      expect(pik.completionCode).toBe('success');
      if (pik.completionCode === 'success') expect(toHex(pik.payload.kcv)).toBe(toHex(kcv(tdes(PIK))));
      expect(rig.pad.getStatus().encryptionState).toBe('ready');
    });

    it('refuses a working key whose check value does not match, and does not keep it', async () => {
      const result = await rig.pad.importKey(
        {
          key: 'MAK',
          usage: 'M0',
          algorithm: 'tdes',
          decryptKey: 'TMK',
          value: tdes(TMK).encrypt(PIK),
          verificationData: fromHex('000000'),
        },
        signal(),
      );
      expect(result).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'verificationFailed' });
      const detail = await rig.pad.getKeyDetail({ key: 'MAK' }, signal());
      expect(detail).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'keyNotFound' });
    });

    it('loads the MAK under the TMK and MACs inside the pad: ISO 9797-1 algorithm 3, the B.4 vectors', async () => {
      const mak = fromHex(ISO9797_B4.key);
      const loaded = await rig.pad.importKey(
        {
          key: 'MAK',
          usage: 'M3',
          algorithm: 'tdes',
          decryptKey: 'TMK',
          value: tdes(TMK).encrypt(mak),
          verificationData: kcv(tdes(mak), { length: 4 }),
        },
        signal(),
      );
      expect(loaded.completionCode).toBe('success');
      for (const { data, mac } of ISO9797_B4.vectors) {
        const result = await rig.pad.generateAuthentication({ key: 'MAK', data: Buffer.from(data, 'ascii') }, signal());
        expect(result.completionCode === 'success' && toHex(result.payload.authenticationData)).toBe(mac);
      }
    });

    it('MACs messages of any length as node:crypto computes them', async () => {
      const mak = fromHex(ISO9797_B4.key);
      for (const length of [0, 7, 8, 479, 480, 481, 547, 1500]) {
        const data = randomBytes(length);
        const result = await rig.pad.generateAuthentication({ key: 'MAK', data }, signal());
        expect(result.completionCode === 'success' && toHex(result.payload.authenticationData)).toBe(
          toHex(retailMacByNode(mak, data)),
        );
      }
    });

    it('refuses a MAC under a key that is not a MAC key, or no key', async () => {
      const data = fromHex('00');
      expect(await rig.pad.generateAuthentication({ key: 'PIK', data }, signal())).toMatchObject({
        completionCode: 'commandErrorCode',
        errorCode: 'useViolation',
      });
      expect(await rig.pad.generateAuthentication({ key: 'PIK_AES', data }, signal())).toMatchObject({
        errorCode: 'keyNotFound',
      });
    });

    it('encrypts and decrypts data under a D0 key (ECB) without showing the key', async () => {
      const dsk = randomBytes(32);
      const loaded = await rig.pad.importKey({ key: 'DSK', usage: 'D0', algorithm: 'aes', value: dsk }, signal());
      expect(loaded.completionCode).toBe('success');
      const data = randomBytes(32);
      const wrapped = await rig.pad.cryptoData({ key: 'DSK', modeOfUse: 'E', cryptoMethod: 'ecb', data }, signal());
      if (wrapped.completionCode !== 'success') throw new Error(wrapped.errorDescription);
      expect(toHex(wrapped.payload.data)).toBe(toHex(aes(dsk).encrypt(data)));
      const back = await rig.pad.cryptoData(
        { key: 'DSK', modeOfUse: 'D', cryptoMethod: 'ecb', data: wrapped.payload.data },
        signal(),
      );
      expect(back.completionCode === 'success' && toHex(back.payload.data)).toBe(toHex(data));
      expect(await rig.pad.cryptoData({ key: 'MAK', modeOfUse: 'E', cryptoMethod: 'ecb', data }, signal())).toMatchObject(
        { errorCode: 'useViolation' },
      );
    });

    it('collects a PIN showing only masked digits, and builds the ISO format 0 block under the PIK', async () => {
      const entry = await enterPin(['1', '2', '3', '4', 'enter']);
      expect(await entry).toEqual({ completionCode: 'success', payload: { digits: 4, completion: 'enter' } });
      expect(events).toEqual([
        ...Array.from({ length: 4 }, () => ({ completion: 'continue', digit: null })),
        { completion: 'enter', digit: null },
      ]);
      const block = await rig.pad.getPinBlock({ key: 'PIK', customerData: PAN, format: 'iso0' }, signal());
      expect(block.completionCode).toBe('success');
      if (block.completionCode !== 'success') return;
      expect(toHex(tdes(PIK).decrypt(block.payload.pinBlock))).toBe(ISO0_CLEAR);
    });

    it('uses the PIN once: a second PIN block fails with noPin', async () => {
      const again = await rig.pad.getPinBlock({ key: 'PIK', customerData: PAN, format: 'iso0' }, signal());
      expect(again).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'noPin' });
    });

    it('builds ISO format 3 with random A–F fill', async () => {
      const blocks: string[] = [];
      for (let i = 0; i < 2; i++) {
        expect((await (await enterPin(['1', '2', '3', '4', 'enter']))).completionCode).toBe('success');
        const block = await rig.pad.getPinBlock({ key: 'PIK', customerData: PAN, format: 'iso3' }, signal());
        if (block.completionCode !== 'success') throw new Error(block.errorDescription);
        const clear = tdes(PIK).decrypt(block.payload.pinBlock);
        expect(pinFromClearBlock(3, clear, PAN)).toBe('1234');
        const pinField = toHex(xor(clear, fromHex('0000' + PAN.slice(0, -1).slice(-12))));
        expect(pinField).toMatch(/^341234[A-F]{10}$/);
        blocks.push(pinField);
      }
      expect(blocks[0]).not.toBe(blocks[1]);
    });

    it('builds ISO format 4 under an AES PIK loaded under an AES TMK', async () => {
      const tmk = await rig.pad.importKey({ key: 'TMK_AES', usage: 'K0', algorithm: 'aes', value: AES_TMK }, signal());
      expect(tmk.completionCode).toBe('success');
      const pik = await rig.pad.importKey(
        {
          key: 'PIK_AES',
          usage: 'P0',
          algorithm: 'aes',
          decryptKey: 'TMK_AES',
          value: aes(AES_TMK).encrypt(AES_PIK),
          verificationData: kcv(aes(AES_PIK)),
        },
        signal(),
      );
      expect(pik.completionCode).toBe('success');
      expect((await (await enterPin(['1', '2', '3', '4', 'enter']))).completionCode).toBe('success');
      const pan = '1234567890123456789';
      const block = await rig.pad.getPinBlock({ key: 'PIK_AES', customerData: pan, format: 'iso4' }, signal());
      if (block.completionCode !== 'success') throw new Error(block.errorDescription);
      expect(block.payload.pinBlock).toHaveLength(16);
      expect(decipherPinBlock(aes(AES_PIK), 4, block.payload.pinBlock, pan)).toBe('1234');
      const cipher = aes(AES_PIK);
      const panField = fromHex(`7${pan}`.padEnd(32, '0'));
      const pinField = toHex(cipher.decrypt(xor(cipher.decrypt(block.payload.pinBlock), panField)));
      expect(pinField.slice(0, 16)).toBe('441234AAAAAAAAAA');
    });

    it('refuses a TDES PIN key for format 4 and an unknown key name, keeping the PIN', async () => {
      expect((await (await enterPin(['9', '8', '7', '6', 'enter']))).completionCode).toBe('success');
      const wrongKey = await rig.pad.getPinBlock({ key: 'PIK', customerData: PAN, format: 'iso4' }, signal());
      expect(wrongKey).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'useViolation' });
      const unknown = await rig.pad.getPinBlock({ key: 'NOPE', customerData: PAN, format: 'iso0' }, signal());
      expect(unknown).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'keyNotFound' });
      const block = await rig.pad.getPinBlock({ key: 'PIK', customerData: PAN, format: 'iso0' }, signal());
      if (block.completionCode !== 'success') throw new Error(block.errorDescription);
      expect(pinFromClearBlock(0, tdes(PIK).decrypt(block.payload.pinBlock), PAN)).toBe('9876');
    });

    it('applies clear and backspace inside the pad', async () => {
      const entry = await enterPin(['5', '5', 'clear', '1', '2', '3', '9', 'backspace', '4', 'enter']);
      expect(await entry).toMatchObject({ payload: { digits: 4, completion: 'enter' } });
      expect(events.filter((e) => e.completion === 'continue').every((e) => e.digit === null)).toBe(true);
      const block = await rig.pad.getPinBlock({ key: 'PIK', customerData: PAN, format: 'iso0' }, signal());
      if (block.completionCode !== 'success') throw new Error(block.errorDescription);
      expect(toHex(tdes(PIK).decrypt(block.payload.pinBlock))).toBe(ISO0_CLEAR);
    });

    it('ends with auto at maxLen when autoEnd is set', async () => {
      const entry = await enterPin(['1', '2', '3', '4'], { maxLen: 4, autoEnd: true });
      expect(await entry).toMatchObject({ payload: { digits: 4, completion: 'auto' } });
      const block = await rig.pad.getPinBlock({ key: 'PIK', customerData: PAN, format: 'iso0' }, signal());
      expect(block.completionCode).toBe('success');
    });

    it('wipes the PIN on cancel', async () => {
      const entry = await enterPin(['1', '2', 'cancel']);
      expect(await entry).toMatchObject({ payload: { digits: 0, completion: 'cancel' } });
      const block = await rig.pad.getPinBlock({ key: 'PIK', customerData: PAN, format: 'iso0' }, signal());
      expect(block).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'noPin' });
    });

    it('wipes the PIN on entry timeout', async () => {
      const entry = await enterPin(['1', '2', '3', '4'], { entryTimeoutMs: 300 });
      expect(await entry).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'entryTimeout' });
      const block = await rig.pad.getPinBlock({ key: 'PIK', customerData: PAN, format: 'iso0' }, signal());
      expect(block).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'noPin' });
    });

    it('wipes the PIN when the application cancels the entry', async () => {
      const controller = new AbortController();
      events.length = 0;
      const entry = rig.pad.pinEntry(PIN_REQUEST, controller.signal);
      await waitFor('PIN entry to start', () => rig.pad.getStatus().entry === 'pin');
      for (const key of ['1', '2', '3', '4']) rig.press(key);
      await waitFor('four digits', () => events.length === 4);
      controller.abort();
      expect((await entry).completionCode).toBe('canceled');
      rig.press('enter');
      const block = await rig.pad.getPinBlock({ key: 'PIK', customerData: PAN, format: 'iso0' }, signal());
      expect(block).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'noPin' });
    });

    it('collects amounts in clear with data entry', async () => {
      events.length = 0;
      const entry = rig.pad.dataEntry(
        { activeKeys: [...DIGITS, 'doubleZero'], terminateKeys: ['enter', 'cancel'], autoEnd: false, maxLen: 6 },
        signal(),
      );
      await waitFor('data entry to start', () => rig.pad.getStatus().entry === 'data');
      for (const key of ['1', '5', 'doubleZero', 'f1', 'enter']) rig.press(key);
      expect(await entry).toEqual({
        completionCode: 'success',
        payload: { keys: ['one', 'five', 'doubleZero'], completion: 'enter' },
      });
      expect(events).toEqual([
        { completion: 'continue', digit: 'one' },
        { completion: 'continue', digit: 'five' },
        { completion: 'continue', digit: 'doubleZero' },
        { completion: 'enter', digit: null },
      ]);
    });

    it('reports its keys, which survive a restart of the device', async () => {
      await rig.restart();
      await waitFor('online after restart', () => rig.pad.getStatus().device === 'online');
      const details = await rig.pad.getKeyDetail({}, signal());
      if (details.completionCode !== 'success') throw new Error(details.errorDescription);
      expect(details.payload.map((d) => [d.key, d.usage, d.algorithm, d.keyLength]).sort()).toEqual(
        [
          ['DSK', 'D0', 'aes', 256],
          ['MAK', 'M3', 'tdes', 128],
          ['PIK', 'P0', 'tdes', 128],
          ['PIK_AES', 'P0', 'aes', 128],
          ['TMK', 'K0', 'tdes', 128],
          ['TMK_AES', 'K0', 'aes', 128],
        ].sort(),
      );
      expect((await (await enterPin(['1', '2', '3', '4', 'enter']))).completionCode).toBe('success');
      const block = await rig.pad.getPinBlock({ key: 'PIK', customerData: PAN, format: 'iso0' }, signal());
      if (block.completionCode !== 'success') throw new Error(block.errorDescription);
      expect(toHex(tdes(PIK).decrypt(block.payload.pinBlock))).toBe(ISO0_CLEAR);
    });

    it('goes offline when the pad loses power and online again, losing the PIN but not the keys', async () => {
      expect((await (await enterPin(['1', '2', '3', '4', 'enter']))).completionCode).toBe('success');
      rig.power(false);
      await waitFor('offline', () => rig.pad.getStatus().device === 'offline');
      const refused = await rig.pad.getPinBlock({ key: 'PIK', customerData: PAN, format: 'iso0' }, signal());
      expect(refused.completionCode).toBe('deviceNotReady');
      rig.power(true);
      await waitFor('online', () => rig.pad.getStatus().device === 'online');
      const block = await rig.pad.getPinBlock({ key: 'PIK', customerData: PAN, format: 'iso0' }, signal());
      expect(block).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'noPin' });
      expect((await rig.pad.getKeyDetail({ key: 'PIK' }, signal())).completionCode).toBe('success');
    });

    it('deletes a key and initialises (erases every key)', async () => {
      expect((await rig.pad.deleteKey({ key: 'PIK_AES' }, signal())).completionCode).toBe('success');
      expect(await rig.pad.deleteKey({ key: 'PIK_AES' }, signal())).toMatchObject({ errorCode: 'keyNotFound' });
      const initialized: unknown[] = [];
      const off = rig.pad.on('initialized', (e) => initialized.push(e));
      expect((await rig.pad.initialization(undefined, signal())).completionCode).toBe('success');
      off();
      expect(initialized).toHaveLength(1);
      const details = await rig.pad.getKeyDetail({}, signal());
      expect(details).toEqual({ completionCode: 'success', payload: [] });
    });
  });
}
