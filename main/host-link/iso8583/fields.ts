/**
 * ISO 8583:1987 data elements 2..128 as data. Formats follow jPOS `iso87ascii.xml` and the table in
 * host-crypto.md §1.2, with the ATM's choices where 1987 leaves room: DE55 carries EMV data (b..255),
 * DE49-51 accept "156" or "CNY" (an3). Fields the kiosk never sends are still defined, so whatever a
 * host puts in a legal 1987 message decodes.
 */

/** n digits; an letters/digits/space; ans printable ASCII; z track 2 (digits, '='); b bytes; x+n C/D then digits. */
export type FieldType = 'n' | 'an' | 'ans' | 'z' | 'b' | 'x+n';
export type LengthKind = 'fixed' | 'LL' | 'LLL';

export interface FieldSpec {
  readonly id: number;
  readonly name: string;
  readonly type: FieldType;
  /** Fixed or maximum length: characters (digits for n/z, sign included for x+n), bytes for b. */
  readonly length: number;
  readonly prefix: LengthKind;
}

const f = (id: number, name: string, type: FieldType, length: number, prefix: LengthKind = 'fixed'): FieldSpec => ({
  id,
  name,
  type,
  length,
  prefix,
});

/** Runs of fields that differ only by number and name. */
const run = (from: number, names: readonly string[], type: FieldType, length: number, prefix: LengthKind = 'fixed') =>
  names.map((name, i) => f(from + i, name, type, length, prefix));

const reserved = (from: number, to: number, name: string) =>
  run(from, Array.from({ length: to - from + 1 }, () => name), 'ans', 999, 'LLL');

export const FIELDS_1987: readonly FieldSpec[] = [
  f(2, 'Primary account number', 'n', 19, 'LL'),
  f(3, 'Processing code', 'n', 6),
  ...run(4, ['Amount, transaction', 'Amount, settlement', 'Amount, cardholder billing'], 'n', 12),
  f(7, 'Transmission date and time', 'n', 10),
  f(8, 'Amount, cardholder billing fee', 'n', 8),
  ...run(9, ['Conversion rate, settlement', 'Conversion rate, cardholder billing'], 'n', 8),
  f(11, 'System trace audit number', 'n', 6),
  f(12, 'Time, local transaction', 'n', 6),
  ...run(13, ['Date, local transaction', 'Date, expiration', 'Date, settlement', 'Date, conversion', 'Date, capture', 'Merchant type'], 'n', 4),
  ...run(
    19,
    [
      'Acquiring institution country code',
      'PAN extended, country code',
      'Forwarding institution country code',
      'Point of service entry mode',
      'Card sequence number',
      'Network international identifier',
    ],
    'n',
    3,
  ),
  ...run(25, ['Point of service condition code', 'Point of service PIN capture code'], 'n', 2),
  f(27, 'Authorisation identification response length', 'n', 1),
  ...run(
    28,
    ['Amount, transaction fee', 'Amount, settlement fee', 'Amount, transaction processing fee', 'Amount, settlement processing fee'],
    'x+n',
    9,
  ),
  ...run(32, ['Acquiring institution identification code', 'Forwarding institution identification code'], 'n', 11, 'LL'),
  f(34, 'Primary account number, extended', 'ans', 28, 'LL'),
  f(35, 'Track 2 data', 'z', 37, 'LL'),
  f(36, 'Track 3 data', 'ans', 104, 'LLL'),
  f(37, 'Retrieval reference number', 'an', 12),
  f(38, 'Authorisation identification response', 'an', 6),
  f(39, 'Response code', 'an', 2),
  f(40, 'Service restriction code', 'an', 3),
  f(41, 'Card acceptor terminal identification', 'ans', 8),
  f(42, 'Card acceptor identification code', 'ans', 15),
  f(43, 'Card acceptor name/location', 'ans', 40),
  f(44, 'Additional response data', 'ans', 25, 'LL'),
  f(45, 'Track 1 data', 'ans', 76, 'LL'),
  ...run(46, ['Additional data, ISO', 'Additional data, national', 'Additional data, private'], 'ans', 999, 'LLL'),
  ...run(49, ['Currency code, transaction', 'Currency code, settlement', 'Currency code, cardholder billing'], 'an', 3),
  f(52, 'PIN data', 'b', 8),
  f(53, 'Security related control information', 'n', 16),
  f(54, 'Additional amounts', 'an', 120, 'LLL'),
  f(55, 'ICC system related data', 'b', 255, 'LLL'),
  ...reserved(56, 56, 'Reserved ISO'),
  ...reserved(57, 59, 'Reserved national'),
  ...reserved(60, 63, 'Reserved private'),
  f(64, 'Message authentication code', 'b', 8),
  f(65, 'Bitmap, extended', 'b', 1),
  f(66, 'Settlement code', 'n', 1),
  f(67, 'Extended payment code', 'n', 2),
  ...run(68, ['Receiving institution country code', 'Settlement institution country code', 'Network management information code'], 'n', 3),
  ...run(71, ['Message number', 'Message number, last'], 'n', 4),
  f(73, 'Date, action', 'n', 6),
  ...run(
    74,
    [
      'Credits, number',
      'Credits, reversal number',
      'Debits, number',
      'Debits, reversal number',
      'Transfer, number',
      'Transfer, reversal number',
      'Inquiries, number',
      'Authorisations, number',
    ],
    'n',
    10,
  ),
  ...run(
    82,
    ['Credits, processing fee amount', 'Credits, transaction fee amount', 'Debits, processing fee amount', 'Debits, transaction fee amount'],
    'n',
    12,
  ),
  ...run(86, ['Credits, amount', 'Credits, reversal amount', 'Debits, amount', 'Debits, reversal amount'], 'n', 16),
  f(90, 'Original data elements', 'n', 42),
  f(91, 'File update code', 'an', 1),
  f(92, 'File security code', 'an', 2),
  f(93, 'Response indicator', 'an', 5),
  f(94, 'Service indicator', 'an', 7),
  f(95, 'Replacement amounts', 'an', 42),
  f(96, 'Message security code', 'b', 8),
  f(97, 'Amount, net settlement', 'x+n', 17),
  f(98, 'Payee', 'ans', 25),
  ...run(99, ['Settlement institution identification code', 'Receiving institution identification code'], 'n', 11, 'LL'),
  f(101, 'File name', 'ans', 17, 'LL'),
  ...run(102, ['Account identification 1', 'Account identification 2'], 'ans', 28, 'LL'),
  f(104, 'Transaction description', 'ans', 100, 'LLL'),
  ...reserved(105, 111, 'Reserved ISO'),
  ...reserved(112, 119, 'Reserved national'),
  ...reserved(120, 127, 'Reserved private'),
  f(128, 'Message authentication code', 'b', 8),
];
