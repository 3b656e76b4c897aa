/**
 * Dispense tokens in the host link and the host simulator (xfs4iot.md §5): the kiosk's DE48 DN
 * item, its check of the DT item of an approved withdrawal, and the simulator's signer checked by
 * the dispenser firmware's own parser and HMAC (three separate implementations must agree).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildRequest,
  checkDispenseToken,
  interpretResponse,
  type SentRequest,
} from '../../../main/host-link/index.js';
import type { FieldValue, IsoMessage } from '../../../main/host-link/iso8583/index.js';
import { hmacHex, parseToken as firmwareParse } from '../../../simulators/dispenser-core/tokens.js';
import { DEMO_DISPENSER_HOST_KEY, signDispenseToken } from '../../../simulators/host/dispense-token.js';

const NONCE = '0123456789ABCDEF0123456789ABCDEF';
const TERMINAL = {
  terminalId: 'ATM00001',
  acceptorId: '123456789012345',
  acquirerId: '12345678',
  nameLocation: 'KIOSK 001 BRANCH A       SHANGHAI     CN',
  utcOffsetMinutes: 480,
};
const CTX = { terminal: TERMINAL, stan: '000123', rrn: '633012000123', epochMs: Date.UTC(2026, 10, 24, 12) };
const token = (nonce = NONCE, amountMinor = 50_000) => signDispenseToken(nonce, amountMinor, DEMO_DISPENSER_HOST_KEY);
const withdrawal = (extra: Partial<SentRequest> = {}): SentRequest => ({
  kind: 'withdrawal',
  amountMinor: 50_000,
  dispenseNonce: NONCE,
  ...extra,
});
const item = (tag: string, value: string) => tag + String(value.length).padStart(3, '0') + value;
const response0210 = (code: string, de48?: string): IsoMessage => ({
  mti: '0210',
  fields: new Map<number, FieldValue>([
    [11, '000123'],
    [39, code],
    ...(de48 === undefined ? [] : [[48, de48] as [number, FieldValue]]),
  ]),
});

describe('host simulator signer, checked by the dispenser firmware’s code', () => {
  it('writes the §5 shape, a right TOKENLENGTH and an HMAC the firmware accepts', () => {
    const text = token(NONCE, 38_005);
    expect(text).toMatch(
      /^NONCE=0123456789ABCDEF0123456789ABCDEF,TOKENFORMAT=1,TOKENLENGTH=0165,DISPENSE1=380\.05CNY,HMACSHA256=[0-9A-F]{64}$/,
    );
    // 6+32 NONCE, 1, 14 TOKENFORMAT, 17 TOKENLENGTH, 20 DISPENSE1, 11 + 64 HMACSHA256
    expect(text).toHaveLength(165);
    const parsed = firmwareParse(text);
    expect(parsed?.nonce).toBe(NONCE);
    expect(parsed?.fields.get('DISPENSE1')).toBe('380.05CNY');
    expect(parsed?.hmac).toBe(hmacHex(DEMO_DISPENSER_HOST_KEY, parsed?.signed ?? ''));
  });
});

describe('request', () => {
  const base = {
    kind: 'withdrawal' as const,
    card: { pan: '6212341234567890', entry: 'magstripe' as const },
    pinBlock: new Uint8Array(8),
    amountMinor: 10_000,
  };

  it('puts the nonce in DE48 item DN', () => {
    expect(buildRequest({ ...base, dispenseNonce: NONCE }, CTX).fields.get(48)).toBe(`DN032${NONCE}`);
  });

  it('leaves DE48 out without a nonce', () => {
    expect(buildRequest(base, CTX).fields.has(48)).toBe(false);
  });
});

describe('checkDispenseToken', () => {
  it('accepts a well-formed token on the nonce sent that covers the amount', () => {
    expect(checkDispenseToken(token(), { nonce: NONCE, amountMinor: 50_000 })).toEqual({ token: token() });
    expect(checkDispenseToken(token(NONCE, 60_000), { nonce: NONCE, amountMinor: 50_000 })).toEqual({
      token: token(NONCE, 60_000),
    });
  });

  it.each([
    ['missing', undefined, NONCE, 50_000],
    ['unexpected', token(), undefined, 50_000],
    ['format', 'NONCE=01,TOKENFORMAT=1', NONCE, 50_000],
    ['format', token().replace('TOKENLENGTH=0165', 'TOKENLENGTH=0166'), NONCE, 50_000],
    ['format', token().toLowerCase(), NONCE, 50_000],
    ['nonce', token('0123456789ABCDEF0123456789ABCDE0'), NONCE, 50_000],
    ['amount', token(NONCE, 49_999), NONCE, 50_000],
    ['amount', token().replace('CNY', 'USD'), NONCE, 50_000],
  ] as const)('%s: %j', (fault, text, nonce, amountMinor) => {
    expect(checkDispenseToken(text, { nonce, amountMinor })).toEqual({ fault });
  });

  it('has nothing to say when neither nonce nor token is there', () => {
    expect(checkDispenseToken(undefined, { nonce: undefined, amountMinor: 1 })).toBeNull();
  });
});

describe('interpretResponse', () => {
  it('hands out the token of an approved withdrawal that sent a nonce', () => {
    const reply = interpretResponse(response0210('00', item('DT', token())), withdrawal());
    expect(reply).toMatchObject({ action: 'approve', dispenseToken: token() });
    expect(reply.dispenseTokenFault).toBeUndefined();
  });

  it('flags an approval without a token, or with one on another nonce', () => {
    expect(interpretResponse(response0210('00'), withdrawal()).dispenseTokenFault).toBe('missing');
    const other = item('DT', token('FFFF'));
    expect(interpretResponse(response0210('00', other), withdrawal())).toMatchObject({ dispenseTokenFault: 'nonce' });
    expect(interpretResponse(response0210('00', 'DT9'), withdrawal())).toMatchObject({
      privateDataMalformed: true,
      dispenseTokenFault: 'missing',
    });
  });

  it('ignores a token in a decline, or without the request', () => {
    const declined = interpretResponse(response0210('51', item('DT', token())), withdrawal());
    expect(declined.dispenseToken).toBeUndefined();
    expect(declined.dispenseTokenFault).toBeUndefined();
    expect(interpretResponse(response0210('00', item('DT', token()))).dispenseToken).toBeUndefined();
  });

  it('never throws and never hands out a token that is not on the nonce sent', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.boolean(), (value, asItem) => {
        const de48 = asItem ? item('DT', value.slice(0, 999)) : value;
        const reply = interpretResponse(response0210('00', de48), withdrawal());
        if (reply.dispenseToken !== undefined) expect(reply.dispenseToken.startsWith(`NONCE=${NONCE},`)).toBe(true);
        else expect(reply.dispenseTokenFault).toBeDefined();
      }),
    );
  });
});
