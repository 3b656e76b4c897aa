/** EMV tags the kernel reads or writes (EMV Book 3 Annex A), as uppercase hex. */
export const TAG = {
  fciTemplate: '6F',
  fciProprietary: 'A5',
  dfName: '84',
  sfi: '88',
  applicationTemplate: '61',
  aid: '4F',
  applicationLabel: '50',
  priority: '87',
  pdol: '9F38',
  recordTemplate: '70',
  responseFormat1: '80',
  responseFormat2: '77',
  aip: '82',
  afl: '94',
  track2: '57',
  pan: '5A',
  expiry: '5F24',
  effective: '5F25',
  psn: '5F34',
  cardholderName: '5F20',
  cdol1: '8C',
  cdol2: '8D',
  cvmList: '8E',
  iccAppVersion: '9F08',
  cryptogram: '9F26',
  cid: '9F27',
  iad: '9F10',
  atc: '9F36',
  pinTryCounter: '9F17',
  unpredictableNumber: '9F37',
  tvr: '95',
  tsi: '9B',
  transactionDate: '9A',
  transactionType: '9C',
  amount: '9F02',
  otherAmount: '9F03',
  currency: '5F2A',
  terminalCountry: '9F1A',
  terminalCapabilities: '9F33',
  additionalCapabilities: '9F40',
  cvmResults: '9F34',
  terminalType: '9F35',
  terminalAppVersion: '9F09',
  ifdSerial: '9F1E',
  sequenceCounter: '9F41',
  arc: '8A',
  issuerAuthData: '91',
} as const;

/** Application Interchange Profile byte 1 (Book 3 Annex C1). */
export const AIP = {
  sda: 0x40,
  dda: 0x20,
  cardholderVerification: 0x10,
  terminalRiskManagement: 0x08,
  issuerAuthentication: 0x04,
  cda: 0x01,
} as const;

/** Cryptogram Information Data (9F27) bits 8-7. */
export type CryptogramType = 'AAC' | 'TC' | 'ARQC';

export function cryptogramType(cid: number): CryptogramType | undefined {
  switch (cid & 0xc0) {
    case 0x00:
      return 'AAC';
    case 0x40:
      return 'TC';
    case 0x80:
      return 'ARQC';
    default:
      return undefined; // 0xC0 is RFU
  }
}
