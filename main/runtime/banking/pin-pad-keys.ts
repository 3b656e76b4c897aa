import type { ImportKeyRequest, PinPadDevice } from '../../../drivers/pin-pad/contract.js';
import { KeyCheckError, type EncryptedWorkingKeys, type SecurityModule } from '../../host-link/link/security-module.js';
import type { PinBlockSource } from '../../host-link/host-transactions.js';

export const TMK_NAME = 'TMK';
export const PIK_NAME = 'PIK';
export const MAK_NAME = 'MAK';

/** A PIN-pad command that did not succeed; the message names the command and the device's code. */
export class PinPadKeyError extends Error {
  override readonly name = 'PinPadKeyError';
}

/**
 * The host link's security module on a real encrypting PIN pad: the PIK and
 * the MAK the host sends at sign-on are loaded into the pad (encrypted under
 * the TMK, each check value verified by the pad), PIN blocks are built inside
 * the pad and so are the DE64/DE128 MACs (Crypto.GenerateAuthentication with
 * the MAK, usage M3: ISO 9797-1 algorithm 3). No working key is ever in clear
 * in this process.
 */
export class PinPadSecurityModule implements SecurityModule {
  private loaded = false;

  constructor(
    private readonly pinPad: PinPadDevice,
    private readonly terminalMasterKey: Uint8Array,
  ) {}

  get ready(): boolean {
    return this.loaded;
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
    this.loaded = false;
    await this.ensureMasterKey(signal);
    await this.importWorkingKey({ key: PIK_NAME, usage: 'P0', value: keys.pik, verificationData: keys.pikKcv }, signal);
    await this.importWorkingKey({ key: MAK_NAME, usage: 'M3', value: keys.mak, verificationData: keys.makKcv }, signal);
    this.loaded = true;
  }

  async mac(data: Uint8Array): Promise<Uint8Array> {
    const result = await this.pinPad.generateAuthentication({ key: MAK_NAME, data }, new AbortController().signal);
    if (result.completionCode !== 'success') {
      throw new PinPadKeyError(`no MAC: ${result.completionCode} ${result.errorCode ?? ''}`);
    }
    return result.payload.authenticationData;
  }

  private async importWorkingKey(
    key: Pick<ImportKeyRequest, 'key' | 'usage' | 'value' | 'verificationData'>,
    signal: AbortSignal,
  ): Promise<void> {
    const result = await this.pinPad.importKey({ ...key, algorithm: 'tdes', decryptKey: TMK_NAME }, signal);
    if (result.completionCode === 'success') return;
    if (result.errorCode === 'verificationFailed') throw new KeyCheckError(`${key.key} check value does not match`);
    throw new PinPadKeyError(`loading the ${key.key} failed: ${result.completionCode} ${result.errorCode ?? ''}`);
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
