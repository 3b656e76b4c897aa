/**
 * F56 error codes as our simulated unit reports them in res[3..4]. No public
 * F56 code table exists (protocols.md "Gaps"); these follow the LCDM numbering
 * where the meaning is the same, so one document serves both.
 */
export const F56_ERRORS: Readonly<Record<number, string>> = {
  0x01: 'pick failure',
  0x11: 'jam at the feed (CHK) sensor',
  0x12: 'jam at the diverter (DVT) sensor',
  0x13: 'jam at the eject (EJT) sensor',
  0x05: 'notes left in the transport or at the shutter',
  0x0c: 'too many notes for one dispense',
  0x0d: 'too many rejects for one dispense',
  0x24: 'cassette missing',
  0x30: 'abnormal command',
  0x31: 'abnormal parameter',
  0x50: 'no command nonce issued',
  0x51: 'malformed token',
  0x52: 'token nonce does not match',
  0x53: 'token HMAC does not verify',
  0x54: 'token does not authorise this amount',
  0x55: 'nothing to present, retract or reject',
  0x56: 'reject bin full',
  0x57: 'no device key for present-status tokens',
};

export function f56ErrorText(code: number): string {
  return F56_ERRORS[code] ?? `undocumented error 0x${code.toString(16).padStart(2, '0')}`;
}
