/**
 * An in-memory EPP for tests of the host link and the runtime's banking code: the MemoryPinPad with
 * main/crypto's ciphers, and a customer who types a PIN on it.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../../drivers/common/clock.js';
import { DIGIT_KEYS, type KeyAlgorithm } from '../../../drivers/pin-pad/contract.js';
import { MemoryPinPad, type BlockCipher } from '../../../drivers/pin-pad/memory.js';
import { aes } from '../../../main/crypto/aes.js';
import { tdes } from '../../../main/crypto/tdes.js';

const cipherOf = (key: Uint8Array, algorithm: KeyAlgorithm) => (algorithm === 'aes' ? aes(key) : tdes(key));
const encryptBlock: BlockCipher = (key, data, algorithm) => cipherOf(key, algorithm).encrypt(data);
const decryptBlock: BlockCipher = (key, data, algorithm) => cipherOf(key, algorithm).decrypt(data);

/** An opened MemoryPinPad (TDES and AES; no SM4). */
export async function openMemoryPinPad(clock: Clock): Promise<MemoryPinPad> {
  const pad = new MemoryPinPad({
    id: 'pinPad',
    clock,
    encryptBlock,
    decryptBlock,
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
    capabilities: { algorithms: ['tdes', 'aes'], pinFormats: ['iso0', 'iso1', 'iso3', 'iso4'] },
  });
  const opened = await pad.open(new AbortController().signal);
  if (opened.completionCode !== 'success') throw new Error(opened.errorDescription);
  return pad;
}

/** The customer types `pin` and Enter during a PIN entry the test starts here. */
export async function typePin(pad: MemoryPinPad, pin: string): Promise<void> {
  const entry = pad.pinEntry(
    { minLen: 4, maxLen: 12, autoEnd: false, activeKeys: DIGIT_KEYS, terminateKeys: ['enter'] },
    new AbortController().signal,
  );
  let settled = false;
  void entry.finally(() => (settled = true));
  // The entry starts once the pad's command queue runs it (or fails without starting).
  while (pad.getStatus().entry !== 'pin' && !settled) await new Promise((resolve) => setImmediate(resolve));
  for (const digit of pin) pad.pressKey(digit as '0');
  pad.pressKey('enter');
  const result = await entry;
  if (result.completionCode !== 'success') throw new Error(`PIN entry failed: ${result.completionCode}`);
}
