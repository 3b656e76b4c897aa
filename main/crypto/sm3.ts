import { createHash } from 'node:crypto';
import type { Buffer } from 'node:buffer';

/** SM3 (GB/T 32905) digest; Node 20's OpenSSL 3 provides `sm3` in the default provider. */
export function sm3(data: Uint8Array): Buffer {
  return createHash('sm3').update(data).digest();
}
