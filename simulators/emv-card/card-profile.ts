import { z } from 'zod';
import { isWellFormedDol } from './card-tlv.js';

/*
 * What the virtual EMV card carries. Every field is validated; the defaults
 * reproduce the card of host-crypto.md §1.6/§4.3 (PAN 6212341234567890/01
 * under the test IMK 0123…3210, AIP 7C00, ATC 0006 so that the next
 * GENERATE AC uses ATC 0007).
 */

const hex = (minBytes: number, maxBytes: number) =>
  z
    .string()
    .regex(/^([0-9A-Fa-f]{2})*$/, 'hex bytes')
    .refine((s) => s.length / 2 >= minBytes && s.length / 2 <= maxBytes, `${minBytes}..${maxBytes} bytes`)
    .transform((s) => s.toUpperCase());
const dol = (maxBytes: number) => hex(0, maxBytes).refine(isWellFormedDol, 'tag/length pairs');
const yymmdd = z.string().regex(/^\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/, 'YYMMDD');

const ApplicationSchema = z
  .object({
    aid: hex(5, 16),
    label: z.string().regex(/^[\x20-\x7e]{1,16}$/),
    priority: z.number().int().min(0).max(15),
    /** PDOL (9F38) as tag/length pairs in hex; empty = no PDOL. */
    pdol: dol(64),
  })
  .strict();

/** Either the issuer master key (the card derives its MK, option A) or the card's MK itself. */
const KeysSchema = z.union([
  z.object({ issuerMasterKey: hex(16, 16) }).strict(),
  z.object({ iccMasterKey: hex(16, 16) }).strict(),
]);

export const CardProfileSchema = z
  .object({
    atr: hex(2, 33),
    pan: z.string().regex(/^\d{12,19}$/),
    psn: z.string().regex(/^\d{2}$/),
    expiry: yymmdd,
    effective: yymmdd.optional(),
    serviceCode: z.string().regex(/^\d{3}$/),
    cardholderName: z.string().regex(/^[\x20-\x7e]{2,26}$/),
    /** The last ATC used; the next first GENERATE AC increments it. */
    atc: z.number().int().min(0).max(0xfffe),
    pinTryCounter: z.number().int().min(0).max(15),
    keys: KeysSchema,
    aip: hex(2, 2),
    applicationVersion: hex(2, 2),
    iad: hex(0, 32),
    cvmList: hex(8, 64),
    iacDenial: hex(5, 5),
    cdol1: dol(64).refine((s) => s.length > 0, 'not empty'),
    cdol2: dol(64).refine((s) => s.length > 0, 'not empty'),
    applications: z.array(ApplicationSchema).min(1).max(8),
    /** Answer SELECT 1PAY.SYS.DDF01 with a directory; false = 6A82, the kernel falls back to its AID list. */
    pse: z.boolean(),
    /** GPO and GENERATE AC response template: 80 (format 1) or 77 (format 2). */
    responseFormat: z.enum(['format1', 'format2']),
    /** Answer like a T=0 card: case-4 data only through 61xx + GET RESPONSE; a wrong Le gets 6Cxx. */
    t0Responses: z.boolean(),
    /** Give a TC at the second GENERATE AC only after EXTERNAL AUTHENTICATE succeeded. */
    requireIssuerAuthentication: z.boolean(),
  })
  .strict();

export type CardProfile = z.output<typeof CardProfileSchema>;
export type CardProfileInput = z.input<typeof CardProfileSchema>;

export const DEFAULT_CARD_PROFILE: CardProfileInput = {
  atr: '3B600000', // EMV Book 1 basic ATR for T=0: TS, T0 (TB1 TC1 follow), TB1 00, TC1 00
  pan: '6212341234567890',
  psn: '01',
  expiry: '301231',
  serviceCode: '201',
  cardholderName: 'ZHANG/SAN',
  atc: 6,
  pinTryCounter: 3,
  keys: { issuerMasterKey: '0123456789ABCDEFFEDCBA9876543210' },
  aip: '7C00',
  applicationVersion: '0030',
  iad: '07010103A00000010A010000000000ABCDEF12',
  // X = Y = 0; enciphered PIN online if supported (apply next if it fails), then fail CVM.
  cvmList: '00000000' + '00000000' + '4203' + '0000',
  iacDenial: '0000000000',
  // amount, other amount, country, TVR, currency, date, type, UN (29 bytes)
  cdol1: '9F0206' + '9F0306' + '9F1A02' + '9505' + '5F2A02' + '9A03' + '9C01' + '9F3704',
  // ARC, then the same terminal data again
  cdol2: '8A02' + '9F0206' + '9F0306' + '9F1A02' + '9505' + '5F2A02' + '9A03' + '9C01' + '9F3704',
  applications: [
    { aid: 'A000000333010101', label: 'UnionPay Debit', priority: 1, pdol: '9F1A02' + '9F3501' },
    { aid: 'A0000000031010', label: 'VISA', priority: 2, pdol: '' },
  ],
  pse: true,
  responseFormat: 'format2',
  t0Responses: false,
  requireIssuerAuthentication: true,
};

export function parseCardProfile(input: unknown): CardProfile {
  return CardProfileSchema.parse(input);
}
