import { tdes } from '../../crypto/tdes.js';
import { kcv } from '../../crypto/kcv.js';
import type { PinPadDevice } from '../../../drivers/pin-pad/contract.js';
import type { EncryptedWorkingKeys, SecurityModule } from '../../host-link/link/security-module.js';
import type { PinBlockSource } from '../../host-link/host-transactions.js';
import { retailMac } from '../../crypto/mac.js';

export const TMK_NAME = 'TMK';
export const PIK_NAME = 'PIK';

/** A PIN-pad command that did not succeed; the message names the command and the device's code. */
export class PinPadKeyError extends Error {
  override readonly name = 'PinPadKeyError';
}

/**
 * The host link's security module on a real encrypting PIN pad: the PIK the
 * host sends at sign-on is loaded into the pad (encrypted under the TMK, its
 * check value verified by the pad), so PIN blocks are built inside the pad.
 * The pin-pad contract has no MAC command, so the MAK is unwrapped and used in
 * software here — a test-bench compromise, noted in docs/host-link.md.
 */
export class PinPadSecurityModule implements SecurityModule {
  private mak: Uint8Array | undefined;

  constructor(
    private readonly pinPad: PinPadDevice,
    private readonly terminalMasterKey: Uint8Array,
  ) {}

  get ready(): boolean {
    return this.mak !== undefined;
  }

  /** Loads the TMK in clear if the pad lacks it (test bench only: production pads refuse clear keys). */
  async ensureMasterKey(signal: AbortSignal): Promise<void> {
    const details = await this.pinPad.getKeyDetail({ key: TMK_NAME }, signal);
    if (details.completionCode === 'success' && details.payload.some((k) => k.keyStatus === 'loaded')) return;
    const loaded = await this.pinPad.importKey(
      { key: TMK_NAME, usage: 'K0', algorithm: 'tdes', value: this.terminalMasterKey },
      signal,
    );
    if (loaded.completionCode !== 'success') {
      throw new PinPadKeyError(`loading the TMK failed: ${loaded.completionCode} ${loaded.errorCode ?? ''}`);
    }
  }

  async installWorkingKeys(keys: EncryptedWorkingKeys): Promise<void> {
    const signal = new AbortController().signal;
    await this.ensureMasterKey(signal);
    const pik = await this.pinPad.importKey(
      {
        key: PIK_NAME,
        usage: 'P0',
        algorithm: 'tdes',
        value: keys.pik,
        decryptKey: TMK_NAME,
        verificationData: keys.pikKcv,
      },
      signal,
    );
    if (pik.completionCode !== 'success') {
      throw new PinPadKeyError(`loading the PIK failed: ${pik.completionCode} ${pik.errorCode ?? ''}`);
    }
    const mak = tdes(this.terminalMasterKey).decrypt(keys.mak);
    if (!Buffer.from(kcv(tdes(mak), { length: keys.makKcv.length })).equals(Buffer.from(keys.makKcv))) {
      throw new PinPadKeyError('the MAK check value does not match');
    }
    this.mak = mak;
  }

  async mac(data: Uint8Array): Promise<Uint8Array> {
    if (!this.mak) throw new PinPadKeyError('no MAK installed');
    return retailMac(this.mak, data, 1);
  }
}

/**
 * PIN blocks for the host, built inside the PIN pad from the PIN it holds. The
 * pad releases a PIN once, so the encrypted block is kept for the rest of the
 * session (it is ciphertext under the PIK, never the PIN) until `forget`:
 * after a new PIN entry or when the card leaves.
 */
export class PinPadPinBlocks implements PinBlockSource {
  private cached: { pan: string; block: Uint8Array } | undefined;

  constructor(private readonly pinPad: PinPadDevice) {}

  private newPin: { pan: string; block: Uint8Array } | undefined;

  /** Fetches the block of the PIN just entered without caching it (the second entry of a PIN change). */
  async freshBlock(pan: string, signal: AbortSignal): Promise<Uint8Array> {
    const result = await this.pinPad.getPinBlock({ key: PIK_NAME, customerData: pan, format: 'iso0' }, signal);
    if (result.completionCode !== 'success') {
      throw new PinPadKeyError(`no PIN block: ${result.completionCode} ${result.errorCode ?? ''}`);
    }
    return result.payload.pinBlock;
  }

  /** Keeps the new PIN's block for the host's PIN-change request. */
  setNewPin(pan: string, block: Uint8Array): void {
    this.newPin = { pan, block };
  }

  async pinBlock(
    { pan, purpose }: { pan: string; purpose: 'current' | 'new' },
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    if (purpose === 'current' && this.cached?.pan === pan) return this.cached.block;
    if (purpose === 'new' && this.newPin?.pan === pan) return this.newPin.block;
    const result = await this.pinPad.getPinBlock(
      { key: PIK_NAME, customerData: pan, format: 'iso0' },
      signal ?? new AbortController().signal,
    );
    if (result.completionCode !== 'success') {
      throw new PinPadKeyError(`no PIN block: ${result.completionCode} ${result.errorCode ?? ''}`);
    }
    if (purpose === 'current') this.cached = { pan, block: result.payload.pinBlock };
    return result.payload.pinBlock;
  }

  forget(): void {
    this.cached = undefined;
    this.newPin = undefined;
  }
}
