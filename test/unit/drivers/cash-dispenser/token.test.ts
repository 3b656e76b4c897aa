import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildToken,
  constantTimeEqual,
  formatTokenAmount,
  parseToken,
  parseTokenAmount,
} from '../../../../drivers/cash-dispenser/token.js';
import { hmacSha256, hostToken } from './fixtures.js';

const key = new TextEncoder().encode('host-key-0123456789');

describe('end-to-end token text', () => {
  it('parses a hand-built token and exposes the signed text up to HMACSHA256=', () => {
    const token = hostToken('0A1B', '500.00CNY', key);
    const parsed = parseToken(token);
    expect(parsed?.nonce).toBe('0A1B');
    expect(parsed?.fields.get('DISPENSE1')).toBe('500.00CNY');
    expect(parsed?.signed.endsWith(',HMACSHA256=')).toBe(true);
    expect(parsed?.signed.length).toBe(token.length - 64);
  });

  it('rejects a wrong TOKENLENGTH, lower-case hex, a missing field list and duplicate keys', () => {
    const token = hostToken('0A1B', '500.00CNY', key);
    expect(parseToken(token.replace(/TOKENLENGTH=\d{4}/, 'TOKENLENGTH=0001'))).toBeUndefined();
    expect(parseToken(token.replace('NONCE=0A1B', 'NONCE=0a1b'))).toBeUndefined();
    expect(parseToken(token.replace('DISPENSE1=500.00CNY,', ''))).toBeUndefined();
    expect(parseToken(hostToken('0A1B', '1.00CNY', key, 'DISPENSE1=2.00CNY,'))).toBeUndefined();
  });

  it('builds tokens that verify with an independent HMAC and carry their own length', async () => {
    const token = await buildToken('FF', [['DISPENSED1', '12.34CNY']], key, hmacSha256);
    expect(token).toMatch(/^NONCE=FF,TOKENFORMAT=1,TOKENLENGTH=(\d{4}),DISPENSED1=12\.34CNY,HMACSHA256=[0-9A-F]{64}$/);
    expect(Number(/TOKENLENGTH=(\d{4})/.exec(token)?.[1])).toBe(token.length);
    const signed = token.slice(0, -64);
    expect(token.slice(-64)).toBe(createHmac('sha256', key).update(signed).digest('hex').toUpperCase());
    expect(parseToken(token)).toBeDefined();
  });

  it('formats and parses amounts with exactly two decimals', () => {
    expect(formatTokenAmount({ currency: 'CNY', amount: 50005 })).toBe('500.05CNY');
    expect(formatTokenAmount({ currency: 'CNY', amount: 7 })).toBe('0.07CNY');
    expect(parseTokenAmount('500.05CNY')).toEqual({ currency: 'CNY', amount: 50005 });
    expect(parseTokenAmount('500.5CNY')).toBeUndefined();
    expect(parseTokenAmount('500CNY')).toBeUndefined();
  });

  it('compares strings for equality', () => {
    expect(constantTimeEqual('ABCD', 'ABCD')).toBe(true);
    expect(constantTimeEqual('ABCD', 'ABCE')).toBe(false);
    expect(constantTimeEqual('ABC', 'ABCD')).toBe(false);
  });
});
