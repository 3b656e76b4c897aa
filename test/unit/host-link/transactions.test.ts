/** Request builders, response interpreters and the response-code table (host-crypto.md §1.2-1.4). */
import { describe, expect, it } from 'vitest';
import {
  actionForResponseCode,
  buildRequest,
  interpretResponse,
  type TransactionRequest,
} from '../../../main/host-link/index.js';
import type { FieldValue, IsoMessage } from '../../../main/host-link/iso8583/index.js';

const TERMINAL = {
  terminalId: 'ATM00001',
  acceptorId: '123456789012345',
  acquirerId: '12345678',
  nameLocation: 'KIOSK 001 BRANCH A       SHANGHAI     CN',
  utcOffsetMinutes: 480,
};
/** The instant of the worked 0200: 2026-11-24 12:00:00 GMT. */
const CTX = { terminal: TERMINAL, stan: '000123', rrn: '633012000123', epochMs: Date.UTC(2026, 10, 24, 12) };
const PIN = Uint8Array.from(Buffer.from('E6E2117E6C1E2D2D', 'hex'));
const card = {
  pan: '6212341234567890',
  entry: 'chip' as const,
  expiry: '3012',
  sequenceNumber: '001',
  track2: '6212341234567890=30122010000000000',
};

describe('response codes → kiosk action', () => {
  it.each([
    ['00', 'approve'],
    ['51', 'insufficientFunds'],
    ['55', 'wrongPin'],
    ['75', 'pinTriesExceeded'],
    ['61', 'limitExceeded'],
    ['13', 'lowerAmount'],
    ['33', 'captureCard'],
    ['41', 'captureCard'],
    ['43', 'captureCard'],
    ['04', 'captureCard'],
    ['07', 'captureCard'],
    ['91', 'outOfService'],
    ['96', 'outOfService'],
    ['03', 'outOfService'],
    ['05', 'decline'],
    ['14', 'decline'],
    ['54', 'decline'],
    ['57', 'decline'],
    ['65', 'decline'],
    ['30', 'decline'],
  ])('%s → %s', (code, action) => expect(actionForResponseCode(code)).toBe(action));

  it.each(['99', 'ZZ', '', 'constructor', '__proto__'])('unknown code %j declines', (code) =>
    expect(actionForResponseCode(code)).toBe('decline'),
  );
});

describe('requests', () => {
  it('a chip withdrawal carries the §1.2 field set for an 0200, with the fields of the worked example', () => {
    const message = buildRequest(
      { kind: 'withdrawal', card, amountMinor: 50_000, pinBlock: PIN, iccData: Uint8Array.of(0x9f, 0x26) },
      CTX,
    );
    expect(message.mti).toBe('0200');
    expect([...message.fields.keys()]).toEqual([
      2, 3, 4, 7, 11, 12, 13, 14, 22, 23, 25, 26, 32, 35, 37, 41, 42, 43, 49, 52, 53, 55,
    ]);
    const text = Object.fromEntries([...message.fields].filter(([, v]) => typeof v === 'string'));
    expect(text).toMatchObject({
      3: '010000',
      4: '000000050000',
      7: '1124120000',
      12: '200000',
      13: '1124',
      22: '051',
      25: '02',
      26: '12',
      49: '156',
      53: '2600000000000000',
    });
  });

  const kinds: [TransactionRequest, string, string, Record<number, FieldValue>][] = [
    [{ kind: 'balance', card, pinBlock: PIN }, '0200', '310000', {}],
    [{ kind: 'deposit', card, amountMinor: 300_000, pinBlock: PIN }, '0200', '210000', { 4: '000000300000' }],
    [
      { kind: 'transferInquiry', card, payeeAccount: '6222020000000003', amountMinor: 100, pinBlock: PIN },
      '0100',
      '400000',
      { 102: card.pan, 103: '6222020000000003' },
    ],
    [
      {
        kind: 'transfer',
        card,
        payeeAccount: '6222020000000003',
        amountMinor: 100,
        pinBlock: PIN,
        realTimeConfirmed: true,
      },
      '0200',
      '400000',
      { 48: 'RT0011', 103: '6222020000000003' },
    ],
    [
      { kind: 'transferRevocation', card, reference: 'TATM0000100012300', pinBlock: PIN },
      '0200',
      '490000',
      { 48: 'TR017TATM0000100012300' },
    ],
    [
      { kind: 'pinChange', card, pinBlock: PIN, newPinBlock: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) },
      '0200',
      '700000',
      { 48: 'NP0160102030405060708' },
    ],
    [{ kind: 'miniStatement', card, pinBlock: PIN }, '0200', '380000', {}],
  ];
  it.each(kinds)('%o → %s DE3 %s', (request, mti, de3, extra) => {
    const message = buildRequest(request, CTX);
    expect(message.mti).toBe(mti);
    expect(message.fields.get(3)).toBe(de3);
    for (const [id, value] of Object.entries(extra)) expect(message.fields.get(Number(id))).toEqual(value);
  });

  it('a magstripe request says 021 and carries no DE55 or DE23', () => {
    const message = buildRequest({ kind: 'balance', card: { pan: card.pan, entry: 'magstripe' }, pinBlock: PIN }, CTX);
    expect(message.fields.get(22)).toBe('021');
    expect(message.fields.has(55)).toBe(false);
    expect(message.fields.has(23)).toBe(false);
  });
});

const response = (entries: [number, FieldValue][]): IsoMessage => ({ mti: '0210', fields: new Map(entries) });

describe('responses', () => {
  it('reads balances from DE54 (01 ledger, 02 available), the auth code and the RRN', () => {
    const reply = interpretResponse(
      response([
        [37, '633012000123'],
        [38, '000123'],
        [39, '00'],
        [54, '1001156C000000123456' + '1002156D000000000100'],
      ]),
    );
    expect(reply).toMatchObject({
      action: 'approve',
      authCode: '000123',
      rrn: '633012000123',
      ledgerBalanceMinor: 123_456,
      availableBalanceMinor: -100,
    });
  });

  it('reads a delayed transfer: masked name, execution time, reference', () => {
    const name = Buffer.from('*四', 'utf8').toString('hex').toUpperCase();
    const de48 = `PN${String(name.length).padStart(3, '0')}${name}TM001DEX01420261125120000TR005T0001`;
    expect(
      interpretResponse(
        response([
          [39, '00'],
          [48, de48],
        ]),
      ).transfer,
    ).toEqual({
      mode: 'delayed',
      revocable: true,
      payeeNameMasked: '*四',
      executeAtMs: Date.UTC(2026, 10, 25, 12),
      reference: 'T0001',
    });
  });

  it('reads mini-statement lines; debits are negative', () => {
    const de48 = 'SL033261124D000000020000ATM WITHDRAWAL' + 'SL025261123C000000010000SALARY';
    expect(
      interpretResponse(
        response([
          [39, '00'],
          [48, de48],
        ]),
      ).statement,
    ).toEqual([
      { date: '261124', amountMinor: -20_000, description: 'ATM WITHDRAWAL' },
      { date: '261123', amountMinor: 10_000, description: 'SALARY' },
    ]);
  });

  it('a malformed DE48 or DE54 leaves the data out but keeps the response code', () => {
    const reply = interpretResponse(
      response([
        [39, '51'],
        [48, 'TM9'],
        [54, '10'],
      ]),
    );
    expect(reply).toMatchObject({ action: 'insufficientFunds', responseCode: '51', privateDataMalformed: true });
    expect(reply.balances).toBeUndefined();
  });

  it('no DE39 is a decline', () => {
    expect(interpretResponse(response([])).action).toBe('decline');
  });
});
