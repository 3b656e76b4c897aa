/**
 * ZT588 error replies (protocols.md §5a): the first text byte of a reply in
 * 0xE0–0xEF. 0xEA is not documented.
 */
export const ZT588_ERRORS = {
  0xe0: ['lowBattery', 'low battery'],
  0xe1: ['imkRequired', 'IMK required'],
  0xe2: ['tmkRequired', 'TMK required'],
  0xe3: ['keySize', 'unexpected key size'],
  0xe4: ['keyNotFound', 'key not found'],
  0xe5: ['keyIncompatible', 'key not found or not compatible'],
  0xe6: ['keyParity', 'key parity check failed'],
  0xe7: ['keyInvalid', 'key is not valid'],
  0xe8: ['commandLength', 'unexpected command length'],
  0xe9: ['dataError', 'incorrect data'],
  0xeb: ['parameterError', 'incorrect parameter'],
  0xec: ['authRequired', 'authorisation required'],
  0xed: ['authLocked', 'authorisation temporarily locked'],
  0xee: ['inputTimeout', 'input timed out'],
  0xef: ['generalError', 'general error'],
} as const satisfies Record<number, readonly [string, string]>;

export type Zt588ErrorName = (typeof ZT588_ERRORS)[keyof typeof ZT588_ERRORS][0] | 'undocumented';

export function isErrorStatus(byte: number): boolean {
  return byte >= 0xe0 && byte <= 0xef;
}

/** The EPP refused a command with an error reply. */
export class Zt588DeviceError extends Error {
  override readonly name = 'Zt588DeviceError';
  readonly errorName: Zt588ErrorName;
  constructor(readonly code: number) {
    const known = (ZT588_ERRORS as Record<number, readonly [Zt588ErrorName, string] | undefined>)[code];
    super(known ? `EPP error ${code.toString(16).toUpperCase()}: ${known[1]}` : `EPP error ${code.toString(16).toUpperCase()}`);
    this.errorName = known?.[0] ?? 'undocumented';
  }
}
