/**
 * LCDM-4000 ERR byte values (the wire carries `code + 0x20`, 0x20 = no error),
 * protocols.md §1b and the public driver it cites. 0x50–0x56 are our
 * extensions for the token check, the presenter and the reject tray.
 */
export const LCDM_ERRORS: Readonly<Record<number, string>> = {
  0x00: 'good',
  0x01: 'pick-up error',
  0x02: 'jam between CHK and DVT sensors',
  0x03: 'jam between DVT and EJT sensors',
  0x04: 'jam between EJT and EXIT sensors',
  0x05: 'a note is staying at the EXIT sensor',
  0x06: 'ejecting a note suspected as rejected',
  0x07: 'note count mismatch at the EJT sensor',
  0x08: 'a note to be rejected passed the EJT sensor',
  0x09: 'media too long at the EJT sensor',
  0x0a: 'media too long at the EXIT sensor',
  0x0b: 'notes on the path before pick-up',
  0x0c: 'too many notes for one transaction',
  0x0d: 'too many rejects for one transaction',
  0x0e: 'abnormal termination of purge',
  0x20: 'sensor trouble or material before start',
  0x21: 'sensor trouble or material before start',
  0x22: 'solenoid trouble before dispense',
  0x23: 'motor or slit sensor trouble before dispense',
  0x24: 'no cassette where notes were requested',
  0x25: 'near-end in a requested cassette',
  0x26: 'no reject tray',
  0x30: 'abnormal command',
  0x31: 'abnormal parameter',
  0x40: 'note from the top cassette during another cassette’s dispense',
  0x41: 'note from the 2nd cassette during another cassette’s dispense',
  0x42: 'note from the 3rd cassette during another cassette’s dispense',
  0x43: 'note from the bottom cassette during another cassette’s dispense',
  // --- extensions ---
  0x50: 'no command nonce issued',
  0x51: 'malformed token',
  0x52: 'token nonce does not match',
  0x53: 'token HMAC does not verify',
  0x54: 'token does not authorise this amount',
  0x55: 'nothing to present, retract or reject',
  0x56: 'reject tray full',
  0x57: 'no device key for present-status tokens',
};

export function lcdmErrorText(code: number): string {
  return LCDM_ERRORS[code] ?? `undocumented error 0x${code.toString(16).padStart(2, '0')}`;
}
