/** The cardless appointment lookup and the cardless withdrawal request (docs/host-link.md "Cardless withdrawal"). */
import { describe, expect, it } from 'vitest';
import {
  buildAppointmentLookup,
  buildRequest,
  interpretAppointmentReply,
} from '../../../main/host-link/index.js';
import { parsePrivateData } from '../../../main/host-link/private-data.js';
import type { FieldValue, IsoMessage } from '../../../main/host-link/iso8583/index.js';

const TERMINAL = {
  terminalId: 'ATM00001',
  acceptorId: '123456789012345',
  acquirerId: '12345678',
  nameLocation: 'KIOSK 001 BRANCH A       SHANGHAI     CN',
  utcOffsetMinutes: 480,
};
const CTX = { terminal: TERMINAL, stan: '000123', rrn: '633012000123', epochMs: Date.UTC(2026, 10, 24, 12) };
const response = (fields: [number, FieldValue][]): IsoMessage => ({ mti: '0110', fields: new Map(fields) });

describe('appointment lookup', () => {
  it('is a 0100 with processing code 39, no card, no PIN, and the code in DE48 AC', () => {
    const message = buildAppointmentLookup('APPT-7Q3K', CTX);
    expect(message.mti).toBe('0100');
    expect(message.fields.get(3)).toBe('390000');
    expect(message.fields.get(48)).toBe('AC009APPT-7Q3K');
    for (const absent of [2, 14, 35, 52, 55]) expect(message.fields.has(absent)).toBe(false);
  });

  it('reads the booked amount, the account and the reference from an approval', () => {
    const reply = interpretAppointmentReply(
      response([
        [39, '00'],
        [4, '000000030000'],
        [48, 'AR012AP0000000001'],
        [102, '6222020000000001'],
      ]),
    );
    expect(reply).toMatchObject({
      action: 'approve',
      appointment: { reference: 'AP0000000001', amountMinor: 30_000, account: '6222020000000001' },
    });
  });

  it('passes a refusal through and treats an approval without its data as a format error', () => {
    expect(interpretAppointmentReply(response([[39, '12']]))).toEqual({ action: 'decline', responseCode: '12' });
    const bare = interpretAppointmentReply(response([[39, '00'], [4, '000000030000']]));
    expect(bare.responseCode).toBe('30');
    expect(bare.appointment).toBeUndefined();
  });
});

describe('cardless withdrawal request', () => {
  it('carries the appointment reference in DE48 instead of card data', () => {
    const message = buildRequest(
      {
        kind: 'withdrawal',
        amountMinor: 30_000,
        dispenseNonce: '0123456789ABCDEF',
        card: { pan: '6222020000000001', entry: 'appointment', appointmentRef: 'AP0000000001', track2: 'x=1' },
        pinBlock: new Uint8Array(8),
      },
      CTX,
    );
    for (const absent of [2, 14, 35]) expect(message.fields.has(absent)).toBe(false);
    expect(message.fields.get(22)).toBe('011');
    expect(message.fields.get(52)).toEqual(new Uint8Array(8));
    expect(parsePrivateData(message.fields.get(48) as string)).toEqual([
      ['AR', 'AP0000000001'],
      ['DN', '0123456789ABCDEF'],
    ]);
  });
});
