import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../main/crypto/bytes.js';
import { deriveCommonSessionKey, generateAc, generateArpcMethod1 } from '../../../main/crypto/emv.js';
import { SimulatorControlError } from '../../../simulators/common/simulator.js';
import { CardProfileSchema, DEFAULT_CARD_PROFILE, type CardProfileInput } from '../../../simulators/emv-card/card-profile.js';
import { EmvCardSimulator } from '../../../simulators/emv-card/emv-card-sim.js';
import { EmvApplet } from '../../../simulators/emv-card/emv-applet.js';
import { ARQC_VECTOR_CDOL1, CHAIN, OPTION_A, SESSION_KEY_VECTOR } from '../../fixtures/emv/atm-withdrawal.js';

/* The card simulator on its own, driven by APDUs written out by hand (not the kiosk's builders). */

const applet = (profile: Partial<CardProfileInput> = {}): EmvApplet =>
  new EmvApplet(CardProfileSchema.parse({ ...DEFAULT_CARD_PROFILE, ...profile }));

/** Sends hex, returns [data hex, SW hex]. */
function send(card: EmvApplet, apdu: string): [string, string] {
  const r = toHex(card.handle(fromHex(apdu.replace(/\s+/g, ''))));
  return [r.slice(0, -4), r.slice(-4)];
}

const SELECT_UNIONPAY = '00A4040008 A000000333010101 00';
const GPO_UNIONPAY = '80A8000005 83 03 0156 14 00'; // PDOL 9F1A 02, 9F35 01
// §1.6 CDOL1 data: amount 500.00, other 0, country 156, TVR 0, currency 156, 2026-11-24, cash, UN 1A2B3C4D
const CDOL1_16 = '000000050000 000000000000 0156 0000000000 0156 261124 01 1A2B3C4D';
const CDOL2_APPROVED = '3030' + CDOL1_16; // ARC "00", then the same data

function toArqc(card: EmvApplet, cdol1 = CDOL1_16): string {
  expect(send(card, SELECT_UNIONPAY)[1]).toBe('9000');
  expect(send(card, GPO_UNIONPAY)[1]).toBe('9000');
  const [data, sw] = send(card, `80AE80001D ${cdol1} 00`);
  expect(sw).toBe('9000');
  return data;
}

/** Value of a primitive tag inside a format-2 response, found by plain string search in hex. */
const valueOf = (hexData: string, tag: string, length: number): string => {
  const at = hexData.indexOf(tag + length.toString(16).toUpperCase().padStart(2, '0'));
  expect(at).toBeGreaterThanOrEqual(0);
  return hexData.slice(at + tag.length + 2, at + tag.length + 2 + length * 2);
};

describe('EMV card simulator: host-crypto.md §4.3 chained vector (PAN 6212341234567890/01)', () => {
  it('answers the first GENERATE AC with ARQC 7C9001F2911FE6DB at ATC 0007', () => {
    const card = applet();
    const response = toArqc(card);
    expect(response.startsWith('77')).toBe(true);
    expect(valueOf(response, '9F27', 1)).toBe('80');
    expect(valueOf(response, '9F36', 2)).toBe('0007');
    expect(valueOf(response, '9F26', 8)).toBe(CHAIN.arqc);
    expect(valueOf(response, '9F10', 19)).toBe('07010103A00000010A010000000000ABCDEF12');
    expect(card.atc).toBe(7);
  });

  it('accepts the ARPC of §4.3 and gives a TC that recomputes under the published session key', () => {
    const card = applet();
    toArqc(card);
    expect(send(card, `008200000A ${CHAIN.issuerAuthData}`)).toEqual(['', '9000']);
    const [tc, sw] = send(card, `80AE40001F ${CDOL2_APPROVED} 00`);
    expect(sw).toBe('9000');
    expect(valueOf(tc, '9F27', 1)).toBe('40');
    const expected = generateAc(fromHex(CHAIN.sessionKeyAtc0007), fromHex(CDOL2_APPROVED.replace(/\s+/g, '') + '7C00' + '0007'));
    expect(valueOf(tc, '9F26', 8)).toBe(toHex(expected));
    expect(send(card, `80AE40001F ${CDOL2_APPROVED} 00`)[1]).toBe('6985'); // a third GENERATE AC
  });

  it('refuses a wrong ARPC with 6300 and then answers AAC even to a TC request', () => {
    const card = applet();
    toArqc(card);
    expect(send(card, '008200000A E89380E922D3A52F 3030')[1]).toBe('6300');
    expect(send(card, '008200000A E89380E922D3A52E 3030')[1]).toBe('6985'); // only one try
    expect(valueOf(send(card, `80AE40001F ${CDOL2_APPROVED} 00`)[0], '9F27', 1)).toBe('00');
  });

  it('takes the ICC master key directly as well (same ARQC as through the IMK)', () => {
    const card = applet({ keys: { iccMasterKey: CHAIN.iccMasterKey } });
    expect(valueOf(toArqc(card), '9F26', 8)).toBe(CHAIN.arqc);
  });

  it('answers AAC when the ARC in the issuer data declines, even with a valid ARPC', () => {
    const card = applet();
    toArqc(card);
    const arpc = generateArpcMethod1(fromHex(CHAIN.sessionKeyAtc0007), fromHex(CHAIN.arqc), fromHex('3035')); // ARC "05"
    expect(send(card, `008200000A ${toHex(arpc)} 3035`)[1]).toBe('9000');
    expect(valueOf(send(card, `80AE40001F 3035 ${CDOL1_16} 00`)[0], '9F27', 1)).toBe('00');
  });

  it('gives AAC without issuer authentication when the card requires it', () => {
    const card = applet();
    toArqc(card);
    expect(valueOf(send(card, `80AE40001F ${CDOL2_APPROVED} 00`)[0], '9F27', 1)).toBe('00');
  });
});

describe('EMV card simulator: other §4.3 vectors through GENERATE AC', () => {
  it('session key vector: MK 0123…3210 at ATC 001C signs with SK E9FB…B0C4', () => {
    const card = applet({ keys: { iccMasterKey: SESSION_KEY_VECTOR.mk }, atc: 0x1b, aip: '5800' });
    const arqc = valueOf(toArqc(card, ARQC_VECTOR_CDOL1), '9F26', 8);
    expect(arqc).toBe(toHex(generateAc(fromHex(SESSION_KEY_VECTOR.sk), fromHex(ARQC_VECTOR_CDOL1 + '5800' + '001C'))));
  });

  it('option A vector: IMK with PAN 12345678901234567/01 gives MK 73AD…19F1', () => {
    const card = applet({ pan: OPTION_A.pan, psn: OPTION_A.psn, atc: 0 });
    const arqc = valueOf(toArqc(card), '9F26', 8);
    const sk = deriveCommonSessionKey(fromHex(OPTION_A.iccMasterKey), fromHex('0001'));
    expect(arqc).toBe(toHex(generateAc(sk, fromHex(CDOL1_16.replace(/\s+/g, '') + '7C00' + '0001'))));
  });
});

describe('EMV card simulator: commands and status words', () => {
  it('SELECT PSE returns the FCI with SFI 1, and its record lists both applications', () => {
    const card = applet();
    const [fci, sw] = send(card, '00A404000E 315041592E5359532E4444463031 00');
    expect(sw).toBe('9000');
    expect(fci).toContain('880101');
    const [record] = send(card, '00B2010C00');
    expect(record).toContain('4F08A000000333010101');
    expect(record).toContain('4F07A0000000031010');
    expect(send(card, '00B2020C00')[1]).toBe('6A83');
  });

  it('answers the errors of the brief', () => {
    const card = applet({ pse: false });
    expect(send(card, '00A404000E 315041592E5359532E4444463031 00')[1]).toBe('6A82');
    expect(send(card, '00A4040007 A0000000041010 00')[1]).toBe('6A82'); // Mastercard: not on this card
    expect(send(card, '80A8000002830000')[1]).toBe('6985'); // GPO before SELECT
    expect(send(card, SELECT_UNIONPAY)[1]).toBe('9000');
    expect(send(card, '80A8000002830000')[1]).toBe('6700'); // PDOL wants 3 bytes
    expect(send(card, '0020008008 241234FFFFFFFFFF')[1]).toBe('6D00'); // VERIFY is not implemented
    expect(send(card, '80AE80000100 00')[1]).toBe('6985'); // GENERATE AC before GPO
    expect(send(card, GPO_UNIONPAY)[1]).toBe('9000');
    expect(send(card, '80AE80000100 00')[1]).toBe('6700'); // CDOL1 wants 29 bytes
    expect(send(card, '00A4')[1]).toBe('6700'); // not an APDU
    expect(send(card, '008200000A 00000000000000003030')[1]).toBe('6985'); // no ARQC yet
  });

  it('GET DATA returns the ATC and the PIN try counter', () => {
    const card = applet({ atc: 0x1234, pinTryCounter: 3 });
    expect(send(card, '80CA9F3600')).toEqual(['9F36021234', '9000']);
    expect(send(card, '80CA9F1700')).toEqual(['9F170103', '9000']);
    expect(send(card, '80CA9F1300')[1]).toBe('6A88');
  });

  it('reads the application records: track 2, PAN, expiry, PSN, CDOL1/2', () => {
    const card = applet();
    send(card, SELECT_UNIONPAY);
    send(card, GPO_UNIONPAY);
    expect(send(card, '00B2010C00')[0]).toContain('57116212341234567890D30122010000000000');
    const [rec2] = send(card, '00B2020C00');
    expect(rec2).toContain('5A086212341234567890');
    expect(rec2).toContain('5F2403301231');
    expect(rec2).toContain('5F340101');
    expect(send(card, '00B20114 00')[0]).toContain('8C159F02069F0306') // CDOL1: 21 bytes of tag/length pairs;
  });

  it('under T=0 rules answers 61xx then GET RESPONSE, and 6Cxx to a wrong Le', () => {
    const card = applet({ t0Responses: true });
    const [, sw] = send(card, SELECT_UNIONPAY);
    expect(sw.slice(0, 2)).toBe('61');
    const [fci, sw2] = send(card, `00C00000${sw.slice(2)}`);
    expect(sw2).toBe('9000');
    expect(fci.length / 2).toBe(parseInt(sw.slice(2), 16));
    expect(send(card, '80CA9F3600')).toEqual(['', '6C05']);
    expect(send(card, '80CA9F3605')[1]).toBe('9000');
  });
});

describe('EMV card simulator: developer API', () => {
  it('changes the profile with validation and refuses bad fields', () => {
    const sim = new EmvCardSimulator();
    expect(sim.control('profile', { atc: 41 })).toMatchObject({ atc: 41, inserted: false, pan: '621234******7890' });
    expect(() => sim.control('profile', { pan: '12AB' })).toThrowError(SimulatorControlError);
    expect(() => sim.control('profile', { cdol1: '9F02' })).toThrowError(SimulatorControlError);
    expect(() => sim.control('profile', { colour: 'red' })).toThrowError(SimulatorControlError);
    expect(() => sim.control('shake', {})).toThrowError(SimulatorControlError);
  });
});
