import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The dispenser firmware's own token handling (xfs4iot.md §5), written apart
 * from the driver's helpers: the device must not trust host-side code.
 * `NONCE=<hex>,TOKENFORMAT=1,TOKENLENGTH=<4 digits>,…,HMACSHA256=<64 hex>`,
 * the HMAC-SHA256 over everything up to and including `HMACSHA256=`.
 */
export interface ParsedToken {
  readonly nonce: string;
  readonly fields: ReadonlyMap<string, string>;
  readonly hmac: string;
  readonly signed: string;
}

const SHAPE = /^NONCE=([0-9A-F]{1,64}),TOKENFORMAT=1,TOKENLENGTH=([0-9]{4}),((?:[A-Z0-9]{1,32}=[^,=]{1,64},){1,16})HMACSHA256=([0-9A-F]{64})$/;

export function parseToken(text: string): ParsedToken | undefined {
  if (text.length > 1024) return undefined;
  const match = SHAPE.exec(text);
  if (!match) return undefined;
  const [, nonce = '', length = '', body = '', hmac = ''] = match;
  if (Number(length) !== text.length) return undefined;
  const fields = new Map<string, string>();
  for (const pair of body.slice(0, -1).split(',')) {
    const [key = '', value = ''] = pair.split('=');
    if (fields.has(key)) return undefined;
    fields.set(key, value);
  }
  return { nonce, fields, hmac, signed: text.slice(0, text.length - 64) };
}

export function hmacHex(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text, 'ascii').digest('hex').toUpperCase();
}

export function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'ascii');
  const y = Buffer.from(b, 'ascii');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `123.45CNY` → minor units and currency; two decimals exactly. */
export function parseAmount(text: string): { readonly currency: string; readonly amount: number } | undefined {
  const match = /^([0-9]{1,12})\.([0-9]{2})([A-Z]{3})$/.exec(text);
  if (!match) return undefined;
  return { currency: match[3] ?? '', amount: Number(match[1]) * 100 + Number(match[2]) };
}

export function formatAmount(amount: number, currency: string): string {
  return `${Math.floor(amount / 100)}.${String(amount % 100).padStart(2, '0')}${currency}`;
}

/** Signs `fields` as a token on `nonce` with `key`. */
export function signToken(nonce: string, fields: readonly (readonly [string, string])[], key: Buffer): string {
  const body = fields.map(([k, v]) => `${k}=${v},`).join('');
  const length = `NONCE=${nonce},TOKENFORMAT=1,TOKENLENGTH=0000,${body}HMACSHA256=`.length + 64;
  const signed = `NONCE=${nonce},TOKENFORMAT=1,TOKENLENGTH=${String(length).padStart(4, '0')},${body}HMACSHA256=`;
  return signed + hmacHex(key, signed);
}
