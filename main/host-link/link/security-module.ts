/** Working keys as the 0810 returns them: each encrypted (ECB) under the terminal master key, with its check value. */
export interface EncryptedWorkingKeys {
  readonly pik: Uint8Array;
  readonly pikKcv: Uint8Array;
  readonly mak: Uint8Array;
  readonly makKcv: Uint8Array;
}

export class KeyCheckError extends Error {
  override readonly name = 'KeyCheckError';
}

/**
 * The link's key custodian and MAC provider. Keys under the TMK go in; only MACs come out. The link
 * never holds a key: in the kiosk both working keys go into the encrypting PIN pad
 * (PinPad.importKey with decryptKey = TMK and verificationData = KCV), which also computes the MACs
 * (PinPad.generateAuthentication). The runtime provides it (main/runtime/banking/pin-pad-keys.ts),
 * so the link stays free of device code.
 */
export interface SecurityModule {
  /**
   * Loads both keys, each checked against its KCV; rejects on a mismatch (KeyCheckError when the
   * custodian can tell the KCV was wrong). Requests are not MACed until a later call succeeds.
   */
  installWorkingKeys(keys: EncryptedWorkingKeys): Promise<void>;
  /** True once working keys are installed. */
  readonly ready: boolean;
  /** DE64/DE128 MAC: ISO 9797-1 algorithm 3, padding 1, under the MAK (host-crypto.md §1.6). Rejects when it cannot. */
  mac(data: Uint8Array): Promise<Uint8Array>;
}
