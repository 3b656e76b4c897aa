import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Technician passwords as salted scrypt hashes, `scrypt$N$r$p$<salt>$<hash>`
 * (base64). Only hashes are configured; a password is compared in constant
 * time and never kept.
 */

export const PASSWORD_HASH_PATTERN = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/]+=*)\$([A-Za-z0-9+/]+=*)$/;

/** N = 2^14, r = 8, p = 1: about 16 MiB and tens of milliseconds per check (RFC 7914's interactive setting). */
const DEFAULTS = { N: 16_384, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, options: ScryptOptions, length: number): Promise<Buffer> {
  // maxmem above 128·N·r, which Node's default (32 MiB) would refuse for larger N.
  const params = { ...options, maxmem: 256 * (options.N ?? DEFAULTS.N) * (options.r ?? DEFAULTS.r) };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, params, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string, salt: Buffer = randomBytes(SALT_BYTES)): Promise<string> {
  const key = await derive(password, salt, DEFAULTS, KEY_BYTES);
  return `scrypt$${DEFAULTS.N}$${DEFAULTS.r}$${DEFAULTS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Whether `password` matches `encoded`; a malformed hash matches nothing. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const m = PASSWORD_HASH_PATTERN.exec(encoded);
  if (!m) return false;
  const [, n, r, p, salt, hash] = m;
  const expected = Buffer.from(hash ?? '', 'base64');
  if (expected.length === 0) return false;
  const key = await derive(
    password,
    Buffer.from(salt ?? '', 'base64'),
    { N: Number(n), r: Number(r), p: Number(p) },
    expected.length,
  );
  return timingSafeEqual(key, expected);
}
