import { crcBytes } from './crc.js';
import { readU32le, readU64le, u32le, u64le } from './commands.js';

/** First DATA byte of an encrypted packet. */
export const STEX = 0x7e;

/**
 * One AES-128 key schedule: ECB over whole 16-byte blocks. Injected (the
 * runtime wraps node:crypto) so this codec stays free of Node.
 */
export interface BlockCipher {
  encrypt(blocks: Uint8Array): Uint8Array;
  decrypt(blocks: Uint8Array): Uint8Array;
}
export type BlockCipherFactory = (key: Uint8Array) => BlockCipher;

/** Fixed (lower) half of the eSSP key: 0x0123456701234567 as 8 LE bytes (protocols.md §2a). */
export const DEFAULT_FIXED_KEY = 0x0123456701234567n;

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  if (modulus === 1n) return 0n;
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/** Deterministic Miller–Rabin for n < 3.3·10^24 (covers the 64-bit exchange numbers). */
export function isProbablePrime(n: bigint): boolean {
  if (n < 2n) return false;
  const small = [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n, 41n];
  for (const p of small) if (n % p === 0n) return n === p;
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  for (const a of small) {
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let composite = true;
    for (let r = 1; r < s; r++) {
      x = (x * x) % n;
      if (x === n - 1n) {
        composite = false;
        break;
      }
    }
    if (composite) return false;
  }
  return true;
}

/** The 16-byte AES key: fixed key LE ‖ negotiated key LE ([ITL] keys.rs). */
export function esspKey(negotiated: bigint, fixed: bigint = DEFAULT_FIXED_KEY): Uint8Array {
  return Uint8Array.from([...u64le(fixed), ...u64le(negotiated)]);
}

/** Host half of the Diffie–Hellman exchange (GA973 §6.2). */
export interface HostExchange {
  readonly generator: bigint;
  readonly modulus: bigint;
  readonly hostRandom: bigint;
  /** Sent with Request Key Exchange: G^Hr mod M. */
  readonly hostInter: bigint;
}

/**
 * Picks two 48-bit primes (generator above modulus, as ITL's host SDK does)
 * and a host exponent from `random` (injected randomness).
 */
export function startHostExchange(random: (n: number) => Uint8Array): HostExchange {
  const prime = (): bigint => {
    for (;;) {
      const bytes = random(6);
      let candidate = readU64le(Uint8Array.from([...bytes, 0, 0]), 0) | 1n | (1n << 47n);
      while (!isProbablePrime(candidate)) candidate += 2n;
      return candidate;
    }
  };
  let generator = prime();
  let modulus = prime();
  while (generator === modulus) modulus = prime();
  if (generator < modulus) [generator, modulus] = [modulus, generator];
  const hostRandom = readU64le(Uint8Array.from([...random(4), 0, 0, 0, 0]), 0) | 1n;
  return { generator, modulus, hostRandom, hostInter: modPow(generator, hostRandom, modulus) };
}

/** The negotiated 64-bit key from the slave's intermediate key. */
export function finishHostExchange(exchange: HostExchange, slaveInter: bigint): bigint {
  return modPow(slaveInter, exchange.hostRandom, exchange.modulus);
}

/**
 * Wraps DATA: STEX ‖ AES-ECB(eLEN | eCOUNT 4 LE | eDATA | ePACKING | eCRC),
 * padded to whole blocks, eCRC (CRC-16/CMS) over eLEN..ePACKING.
 */
export function packEncrypted(
  cipher: BlockCipher,
  count: number,
  data: Uint8Array,
  padding: (n: number) => Uint8Array,
): Uint8Array {
  const head = [data.length, ...u32le(count), ...data];
  const total = Math.ceil((head.length + 2) / 16) * 16;
  const plain = Uint8Array.from([...head, ...padding(total - head.length - 2).slice(0, total - head.length - 2)]);
  const block = Uint8Array.from([...plain, ...crcBytes(plain)]);
  return Uint8Array.from([STEX, ...cipher.encrypt(block)]);
}

export type UnpackResult =
  | { readonly ok: true; readonly count: number; readonly data: Uint8Array }
  | { readonly ok: false; readonly reason: 'notEncrypted' | 'badLength' | 'badCrc' };

/** Opens an STEX packet; the caller checks the count. Never throws. */
export function unpackEncrypted(cipher: BlockCipher, packet: Uint8Array): UnpackResult {
  if (packet[0] !== STEX) return { ok: false, reason: 'notEncrypted' };
  const body = packet.slice(1);
  if (body.length === 0 || body.length % 16 !== 0) return { ok: false, reason: 'badLength' };
  const plain = cipher.decrypt(body);
  const [lo, hi] = crcBytes(plain.slice(0, -2));
  if (lo !== plain[plain.length - 2] || hi !== plain[plain.length - 1]) return { ok: false, reason: 'badCrc' };
  const len = plain[0]!;
  if (5 + len > plain.length - 2) return { ok: false, reason: 'badLength' };
  return { ok: true, count: readU32le(plain, 1), data: plain.slice(5, 5 + len) };
}
