import type { KeyAlgorithm, PinPadDevice } from '../../../drivers/pin-pad/contract.js';
import { systemRandom, type RandomSource } from '../../crypto/random.js';
import type { DataKeyWrapper } from '../../host-link/link/storage-cipher.js';
import { PinPadKeyError } from './pin-pad-keys.js';

/** The kiosk's own data storage key in the PIN pad (usage D0); not a host working key, so sign-on never replaces it. */
export const DSK_NAME = 'DSK';

/**
 * Wraps the host link's data key inside the PIN pad: Crypto.CryptoData (ECB) under the DSK, which
 * never leaves the pad. The link file keeps only the wrapped data key, so a copy of it opens
 * nothing without this pad.
 *
 * A pad without a DSK gets one when the first data key is wrapped: a fresh random key loaded in
 * clear, forgotten here at once (AES-256 when the pad offers AES, else triple-length TDES). That is
 * the test bench's way, like the TMK's: a production EPP refuses clear keys (accessDenied), and its
 * DSK is loaded at the key ceremony.
 */
export class PinPadStorageKey implements DataKeyWrapper {
  constructor(
    private readonly pinPad: PinPadDevice,
    private readonly random: RandomSource = systemRandom,
  ) {}

  async wrap(dataKey: Uint8Array): Promise<Uint8Array> {
    await this.ensureStorageKey(new AbortController().signal);
    return this.crypt('E', dataKey);
  }

  unwrap(wrapped: Uint8Array): Promise<Uint8Array> {
    return this.crypt('D', wrapped);
  }

  private async ensureStorageKey(signal: AbortSignal): Promise<void> {
    const details = await this.pinPad.getKeyDetail({ key: DSK_NAME }, signal);
    if (details.completionCode === 'success' && details.payload.some((k) => k.keyStatus === 'loaded')) return;
    const algorithm: KeyAlgorithm = this.pinPad.getCapabilities().algorithms.includes('aes') ? 'aes' : 'tdes';
    const value = this.random(algorithm === 'aes' ? 32 : 24);
    try {
      const loaded = await this.pinPad.importKey({ key: DSK_NAME, usage: 'D0', algorithm, modeOfUse: 'B', value }, signal);
      if (loaded.completionCode !== 'success') {
        throw new PinPadKeyError(`loading the DSK failed: ${loaded.completionCode} ${loaded.errorCode ?? ''}`);
      }
    } finally {
      value.fill(0);
    }
  }

  private async crypt(modeOfUse: 'E' | 'D', data: Uint8Array): Promise<Uint8Array> {
    const result = await this.pinPad.cryptoData(
      { key: DSK_NAME, modeOfUse, cryptoMethod: 'ecb', data },
      new AbortController().signal,
    );
    if (result.completionCode !== 'success') {
      throw new PinPadKeyError(`${modeOfUse === 'E' ? 'wrapping' : 'unwrapping'} the data key failed: ${result.completionCode} ${result.errorCode ?? ''}`);
    }
    return result.payload.data;
  }
}
