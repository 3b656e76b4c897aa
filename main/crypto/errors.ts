/** Why a crypto call refused its input; callers switch on `code`, never on the message. */
export type CryptoErrorCode =
  | 'KEY_LENGTH'
  | 'DATA_LENGTH'
  | 'BAD_HEX'
  | 'BAD_PIN'
  | 'BAD_PAN'
  | 'BAD_PIN_BLOCK'
  | 'BAD_KSN'
  | 'BAD_KEY_BLOCK'
  | 'MAC_MISMATCH'
  | 'UNSUPPORTED';

/** Messages describe lengths and formats only: never key, PIN or PAN material. */
export class CryptoInputError extends Error {
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string) {
    super(message);
    this.name = 'CryptoInputError';
    this.code = code;
  }
}
