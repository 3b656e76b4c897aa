import { Buffer } from 'node:buffer';
import { aes } from './aes.js';
import { cbcDecrypt, cbcEncrypt, type BlockCipher } from './block-cipher.js';
import { assertMacEqual, requireLength } from './bytes.js';
import { CryptoInputError } from './errors.js';
import { cmac } from './mac.js';
import { systemRandom, type RandomSource } from './random.js';
import { tdes } from './tdes.js';

/**
 * TR-31 / ANSI X9.143 key blocks, versions B (TDES) and D (AES), used to load TMK/BDK/IPEK
 * into the EPP. Layout: header (ASCII) ‖ hex(CBC(KBEK, IV = MAC, len ‖ key ‖ pad)) ‖ hex(MAC),
 * MAC = CMAC(KBAK, header ‖ clear key data). A and C (variant binding) are deprecated and refused.
 */

export type Tr31Version = 'B' | 'D';

export interface Tr31OptionalBlock {
  id: string;
  data: string;
}

export interface Tr31Header {
  version: Tr31Version;
  /** e.g. P0 PIN encryption, M3 ISO 9797-1 alg 3, K0 KEK, B0 BDK, D0 data. */
  keyUsage: string;
  /** T = TDES, A = AES, … */
  algorithm: string;
  /** E encrypt, D decrypt, B both, C compute MAC, V verify, N none, X derive, … */
  modeOfUse: string;
  keyVersion: string;
  /** E exportable under a trusted key, N non-exportable, S sensitive. */
  exportability: 'E' | 'N' | 'S';
  /** Excludes the `PB` pad block, which is regenerated on wrap. */
  optionalBlocks: readonly Tr31OptionalBlock[];
}

export interface Tr31Unwrapped {
  header: Tr31Header;
  key: Buffer;
}

interface VersionSpec {
  cipher: (key: Uint8Array) => BlockCipher;
  kbpkLengths: number[];
  macLength: number;
}

const VERSIONS: Record<Tr31Version, VersionSpec> = {
  B: { cipher: tdes, kbpkLengths: [16, 24], macLength: 8 },
  D: { cipher: aes, kbpkLengths: [16, 24, 32], macLength: 16 },
};

const MODES_OF_USE = 'BCDEGNSTVXY';

function bad(message: string): never {
  throw new CryptoInputError('BAD_KEY_BLOCK', message);
}

function readHexNumber(text: string, at: number, width: number, what: string): number {
  const field = text.slice(at, at + width);
  if (field.length !== width || !/^[0-9A-Fa-f]+$/.test(field)) bad(`${what} is malformed`);
  return Number.parseInt(field, 16);
}

/** Parses the fixed 16-byte header and its optional blocks; returns the header and its length in characters. */
export function parseTr31Header(keyBlock: string): { header: Tr31Header; length: number } {
  if (keyBlock.length < 16 || !/^[\x20-\x7e]*$/.test(keyBlock)) bad('key block must be printable ASCII of at least 16 characters');
  const version = keyBlock[0];
  if (version !== 'B' && version !== 'D') {
    throw new CryptoInputError('UNSUPPORTED', `key block version ${version ?? ''} is not supported (B and D only)`);
  }
  const keyUsage = keyBlock.slice(5, 7);
  const algorithm = keyBlock.slice(7, 8);
  const modeOfUse = keyBlock.slice(8, 9);
  const keyVersion = keyBlock.slice(9, 11);
  const exportability = keyBlock.slice(11, 12);
  const blockCountField = keyBlock.slice(12, 14);
  if (!/^[0-9A-Z]{2}$/.test(keyUsage)) bad('key usage is malformed');
  if (!/^[A-Z]$/.test(algorithm)) bad('algorithm is malformed');
  if (!MODES_OF_USE.includes(modeOfUse)) bad('mode of use is invalid');
  if (!/^[0-9A-Za-z]{2}$/.test(keyVersion)) bad('key version number is malformed');
  if (exportability !== 'E' && exportability !== 'N' && exportability !== 'S') bad('exportability is invalid');
  if (!/^\d{2}$/.test(blockCountField)) bad('number of optional blocks is malformed');

  const optionalBlocks: Tr31OptionalBlock[] = [];
  let at = 16;
  for (let i = 0; i < Number(blockCountField); i++) {
    const id = keyBlock.slice(at, at + 2);
    if (!/^[0-9A-Z]{2}$/.test(id)) bad('optional block ID is malformed');
    let length = readHexNumber(keyBlock, at + 2, 2, `optional block ${id} length`);
    let dataStart = at + 4;
    if (length === 0) {
      // Extended length: the length's size in bytes, then the length in that many hex byte pairs.
      const lengthDigits = 2 * readHexNumber(keyBlock, at + 4, 2, `optional block ${id} length of length`);
      if (lengthDigits === 0) bad(`optional block ${id} length of length must not be 0`);
      length = readHexNumber(keyBlock, at + 6, lengthDigits, `optional block ${id} extended length`);
      dataStart = at + 6 + lengthDigits;
    }
    if (at + length < dataStart || at + length > keyBlock.length) bad(`optional block ${id} length is inconsistent`);
    if (id !== 'PB') optionalBlocks.push({ id, data: keyBlock.slice(dataStart, at + length) });
    at += length;
  }
  const header: Tr31Header = {
    version,
    keyUsage,
    algorithm,
    modeOfUse,
    keyVersion,
    exportability,
    optionalBlocks,
  };
  return { header, length: at };
}

/** KBEK and KBAK by CMAC-based derivation (TR-31 5.3.2): DD = i ‖ usage ‖ 00 ‖ algorithm ‖ bits. */
function deriveKeys(version: Tr31Version, kbpk: Uint8Array): { kbek: BlockCipher; kbak: BlockCipher } {
  const spec = VERSIONS[version];
  requireLength(kbpk, spec.kbpkLengths, `version ${version} KBPK`);
  const bits = kbpk.length * 8;
  const algorithm = version === 'B' ? (kbpk.length === 16 ? 0 : 1) : 2 + (kbpk.length - 16) / 8;
  const parent = spec.cipher(kbpk);
  const derive = (usage: number): BlockCipher => {
    const parts: Buffer[] = [];
    for (let i = 1; parts.length * parent.blockSize < kbpk.length; i++) {
      const dd = Buffer.alloc(8);
      dd[0] = i;
      dd.writeUInt16BE(usage, 1);
      dd.writeUInt16BE(algorithm, 4);
      dd.writeUInt16BE(bits, 6);
      parts.push(cmac(parent, dd));
    }
    return spec.cipher(Buffer.concat(parts).subarray(0, kbpk.length));
  };
  return { kbek: derive(0x0000), kbak: derive(0x0001) };
}

/** Verifies the MAC, then returns the clear key and the header attributes. */
export function unwrapTr31(kbpk: Uint8Array, keyBlock: string): Tr31Unwrapped {
  const { header, length: headerLength } = parseTr31Header(keyBlock);
  const declared = keyBlock.slice(1, 5);
  if (!/^\d{4}$/.test(declared) || Number(declared) !== keyBlock.length) bad('declared length does not match the key block');
  const { macLength } = VERSIONS[header.version];
  const body = keyBlock.slice(headerLength);
  const { kbek, kbak } = deriveKeys(header.version, kbpk);
  const encHex = body.slice(0, body.length - macLength * 2);
  const macHex = body.slice(body.length - macLength * 2);
  if (!/^[0-9A-Fa-f]*$/.test(body) || encHex.length === 0 || encHex.length % (kbek.blockSize * 2) !== 0) {
    bad('encrypted key data is malformed');
  }
  const mac = Buffer.from(macHex, 'hex');
  const clear = cbcDecrypt(kbek, mac, Buffer.from(encHex, 'hex'));
  assertMacEqual(mac, cmac(kbak, Buffer.concat([Buffer.from(keyBlock.slice(0, headerLength), 'ascii'), clear])).subarray(0, macLength), 'key block MAC');
  const keyBits = clear.readUInt16BE(0);
  if (keyBits === 0 || keyBits % 8 !== 0 || keyBits / 8 > clear.length - 2) bad('decrypted key length is invalid');
  return { header, key: clear.subarray(2, 2 + keyBits / 8) };
}

function encodeOptionalBlock(block: Tr31OptionalBlock): string {
  if (!/^[0-9A-Z]{2}$/.test(block.id) || block.id === 'PB') bad('optional block ID is invalid');
  const length = block.data.length + 4;
  if (length <= 0xff) return `${block.id}${length.toString(16).toUpperCase().padStart(2, '0')}${block.data}`;
  const ext = (block.data.length + 10).toString(16).toUpperCase().padStart(4, '0');
  return `${block.id}0002${ext}${block.data}`;
}

/** Builds a key block; `random` supplies the key padding so tests can reproduce published blocks. */
export function wrapTr31(kbpk: Uint8Array, header: Tr31Header, key: Uint8Array, random: RandomSource = systemRandom): string {
  const { kbek, kbak } = deriveKeys(header.version, kbpk);
  const { macLength } = VERSIONS[header.version];
  const n = kbek.blockSize;
  let blocks = header.optionalBlocks.map(encodeOptionalBlock).join('');
  let count = header.optionalBlocks.length;
  // The header must end on a cipher-block boundary; a PB block is at least 4 characters.
  const remainder = (16 + blocks.length) % n;
  if (remainder !== 0) {
    const pad = n - remainder < 4 ? 2 * n - remainder : n - remainder;
    blocks += `PB${pad.toString(16).toUpperCase().padStart(2, '0')}${'0'.repeat(pad - 4)}`;
    count += 1;
  }
  const padLength = (n - ((2 + key.length) % n)) % n;
  const clear = Buffer.alloc(2 + key.length + padLength);
  clear.writeUInt16BE(key.length * 8, 0);
  clear.set(key, 2);
  clear.set(random(padLength).subarray(0, padLength), 2 + key.length);
  const total = 16 + blocks.length + clear.length * 2 + macLength * 2;
  if (total > 9999) bad('key block would exceed the 4-digit length field');
  const fields = [header.keyUsage, header.algorithm, header.modeOfUse, header.keyVersion, header.exportability];
  const headerText = `${header.version}${String(total).padStart(4, '0')}${fields.join('')}${String(count).padStart(2, '0')}00${blocks}`;
  parseTr31Header(headerText); // rejects attributes a receiver would refuse
  const mac = cmac(kbak, Buffer.concat([Buffer.from(headerText, 'ascii'), clear])).subarray(0, macLength);
  return `${headerText}${cbcEncrypt(kbek, mac, clear).toString('hex').toUpperCase()}${mac.toString('hex').toUpperCase()}`;
}
