import { DeviceError } from '../../common/completion.js';
import { KEY_LENGTH_CODES, type KeyLengthCode, type KeyType } from '../../protocols/zt588/commands.js';
import type { KeyAlgorithm, KeyUsage, PinPadErrorCode } from '../contract.js';

/** The ZT588 key type for a TR-31 usage: K0 → TMK, P0 → TPK, M* → TAK, D0 → TDK. */
export function keyTypeFor(usage: KeyUsage): KeyType {
  if (usage === 'K0') return 'tmk';
  if (usage === 'P0') return 'tpk';
  if (usage === 'D0') return 'tdk';
  if (usage.startsWith('M')) return 'tak';
  throw new DeviceError<PinPadErrorCode>('unsupportedData', `the ZT588 has no key type for usage ${usage}`);
}

/** TR-31 usage reported for a key type read back from the EPP: a TAK MACs with ISO 9797-1 algorithm 3, so M3. */
export const USAGE_OF_TYPE: Readonly<Record<number, KeyUsage>> = { 1: 'K0', 2: 'K0', 3: 'P0', 5: 'M3', 6: 'D0' };

const LENGTHS: readonly { algorithm: KeyAlgorithm; bytes: number; code: KeyLengthCode }[] = [
  { algorithm: 'tdes', bytes: 16, code: KEY_LENGTH_CODES.tdes2 },
  { algorithm: 'tdes', bytes: 24, code: KEY_LENGTH_CODES.tdes3 },
  { algorithm: 'aes', bytes: 16, code: KEY_LENGTH_CODES.aes128 },
  { algorithm: 'aes', bytes: 24, code: KEY_LENGTH_CODES.aes192 },
  { algorithm: 'aes', bytes: 32, code: KEY_LENGTH_CODES.aes256 },
];

/** The length code for a key value; single DES is refused as contract and PCI require. */
export function lengthCodeFor(algorithm: KeyAlgorithm, bytes: number): KeyLengthCode {
  const entry = LENGTHS.find((l) => l.algorithm === algorithm && l.bytes === bytes);
  if (!entry) throw new DeviceError<PinPadErrorCode>('commandErrorCode', `${bytes} bytes is not a ${algorithm} key length`, 'invalidKeyLength');
  return entry.code;
}

/** Algorithm and length in bits of a length code read back from the EPP. */
export function lengthOfCode(code: number): { algorithm: KeyAlgorithm; keyLength: number } | undefined {
  if (code === KEY_LENGTH_CODES.des) return { algorithm: 'tdes', keyLength: 64 };
  const entry = LENGTHS.find((l) => l.code === code);
  return entry && { algorithm: entry.algorithm, keyLength: entry.bytes * 8 };
}
