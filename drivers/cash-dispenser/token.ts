import type { Money } from '../storage/contract.js';

/**
 * XFS4IoT end-to-end tokens (xfs4iot.md §5), pure text handling. Signing and
 * checking need HMAC-SHA256, which environment-neutral code cannot import, so
 * callers inject it.
 *
 * Amounts are written with exactly two decimals (`50.00EUR`), i.e. minor units
 * are hundredths: right for CNY, EUR, USD, wrong for zero-decimal currencies.
 */

/** HMAC-SHA256 of `message` under `key`; in Node: `createHmac('sha256', key).update(message).digest()`. */
export type HmacSha256 = (key: Uint8Array, message: Uint8Array) => Uint8Array | Promise<Uint8Array>;

export interface EndToEndToken {
  readonly nonce: string;
  /** Key/value pairs between TOKENLENGTH and HMACSHA256, e.g. DISPENSE1 → "50.00EUR". */
  readonly fields: ReadonlyMap<string, string>;
  /** The signed text: everything up to and including `HMACSHA256=`. */
  readonly signed: string;
  /** Upper-case hex. */
  readonly hmac: string;
}

const TOKEN_PATTERN =
  /^(?=[!-~]{0,1024}$)NONCE=([0-9A-F]+),TOKENFORMAT=1,TOKENLENGTH=([0-9]{4}),((?:[A-Z0-9]+=[^,=]+?,)+)HMACSHA256=([0-9A-F]{64})$/;
const HMAC_KEY = 'HMACSHA256=';

/** Parses a token; undefined when it breaks the pattern or TOKENLENGTH is not its length. */
export function parseToken(text: string): EndToEndToken | undefined {
  const match = TOKEN_PATTERN.exec(text);
  if (!match) return undefined;
  const [, nonce = '', length = '', body = '', hmac = ''] = match;
  if (Number(length) !== text.length) return undefined;
  const fields = new Map<string, string>();
  for (const pair of body.slice(0, -1).split(',')) {
    const [key = '', value = ''] = pair.split('=');
    if (fields.has(key)) return undefined;
    fields.set(key, value);
  }
  return { nonce, fields, signed: text.slice(0, text.length - hmac.length), hmac };
}

/** Builds and signs a token: `NONCE=…,TOKENFORMAT=1,TOKENLENGTH=nnnn,<fields>,HMACSHA256=…`. */
export async function buildToken(
  nonce: string,
  fields: readonly (readonly [string, string])[],
  key: Uint8Array,
  hmacSha256: HmacSha256,
): Promise<string> {
  const body = fields.map(([k, v]) => `${k}=${v},`).join('');
  const length = `NONCE=${nonce},TOKENFORMAT=1,TOKENLENGTH=0000,${body}${HMAC_KEY}`.length + 64;
  const signed = `NONCE=${nonce},TOKENFORMAT=1,TOKENLENGTH=${String(length).padStart(4, '0')},${body}${HMAC_KEY}`;
  return signed + (await tokenHmac(signed, key, hmacSha256));
}

/** The upper-case hex HMAC of the signed text, as it appears in a token. */
export async function tokenHmac(signed: string, key: Uint8Array, hmacSha256: HmacSha256): Promise<string> {
  return toHex(await hmacSha256(key, new TextEncoder().encode(signed)));
}

/** `{CNY, 12345}` → `123.45CNY`. */
export function formatTokenAmount(money: Money): string {
  const whole = Math.floor(money.amount / 100);
  return `${whole}.${String(money.amount % 100).padStart(2, '0')}${money.currency}`;
}

/** `123.45CNY` → `{CNY, 12345}`; undefined unless exactly two decimals and a 3-letter code. */
export function parseTokenAmount(text: string): Money | undefined {
  const match = /^([0-9]{1,12})\.([0-9]{2})([A-Z]{3})$/.exec(text);
  if (!match) return undefined;
  const [, whole = '', cents = '', currency = ''] = match;
  return { currency, amount: Number(whole) * 100 + Number(cents) };
}

/** Compares without an early exit, so timing does not reveal how much of an HMAC matched. */
export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  }
  return diff === 0;
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
}
