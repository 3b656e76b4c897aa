/**
 * Cross-checks against the npm `iso_8583` package (2.6.7), an independent implementation.
 *
 * What it can read: ASCII MTI, ASCII lengths and ASCII field data, so only our `ascii` profile.
 * Its bitmap is either binary (default: 8 bytes, 16 with the secondary) or, with
 * `bitmapEncoding: 'utf8'`, always 32 hex characters (primary + secondary). So:
 *  - the `ascii` profile exactly as specified (hex-ASCII bitmap) is checked on the messages that
 *    carry a secondary bitmap;
 *  - every message is checked with the same profile but a binary bitmap, composed from the same pieces.
 * It has no hex-ASCII binary type, so our b fields (DE52/55/64/128) are declared to it as text of
 * hex characters, which is what they are on the wire; DE53 (its default says b) is declared n16.
 * BCD (`binary` profile) is beyond it: see the hand-built fixtures in codec.test.ts.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  ASCII_PROFILE,
  compileProfile,
  decode,
  encode,
  frame,
  interpreters,
  type FieldValue,
  type IsoMessage,
} from '../../../../main/host-link/iso8583/index.js';
import { ATM_MESSAGES } from '../../../fixtures/iso8583/atm-messages.js';
import { WITHDRAWAL_0200, WITHDRAWAL_0200_MTI } from '../../../fixtures/iso8583/withdrawal-0200.js';

interface Iso8583Instance {
  getIsoJSON(buffer: Buffer, config?: { lenHeader?: boolean; bitmapEncoding?: 'hex' | 'utf8' }): Record<string, string> & { error?: string };
  getRawMessage(): Buffer | { error: string };
}
type Iso8583Class = new (message?: Record<string, string>, customFormats?: object) => Iso8583Instance;

const Iso8583 = createRequire(import.meta.url)('iso_8583') as Iso8583Class;

const text = (length: number, LenType = 'fixed') => ({ ContentType: 'ans', Label: 'hex-ASCII binary', LenType, MaxLen: length });
const FORMATS = {
  52: text(16),
  53: { ContentType: 'n', Label: 'Security related control information', LenType: 'fixed', MaxLen: 16 },
  55: text(510, 'lllvar'),
  64: text(16),
  128: text(16),
};

const asciiWithBinaryBitmap = compileProfile({ ...ASCII_PROFILE, name: 'ascii, binary bitmap', bitmap: interpreters.rawBytes });

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').toUpperCase();

/** Our message in iso_8583's JSON shape: "0" is the MTI, bytes as the hex text that is on the wire. */
function asJson(message: IsoMessage): Record<string, string> {
  const json: Record<string, string> = { 0: message.mti };
  for (const [id, value] of message.fields) json[id] = typeof value === 'string' ? value : hex(value);
  return json;
}

function fromJson(json: Record<string, string>, like: IsoMessage): IsoMessage {
  const fields = new Map<number, FieldValue>();
  for (const [id, value] of like.fields) {
    const theirs = json[id]!;
    fields.set(id, typeof value === 'string' ? theirs : Uint8Array.from(Buffer.from(theirs, 'hex')));
  }
  return { mti: json[0]!, fields };
}

const cases: [string, IsoMessage][] = [
  ['worked 0200 of §1.6', decode(WITHDRAWAL_0200, 'ascii')],
  ...Object.entries(ATM_MESSAGES),
];

describe('iso_8583 (npm) agrees with our ascii profile', () => {
  it('reads the worked 0200 fixture as we do (its bitmap re-encoded as binary)', () => {
    const ours = decode(WITHDRAWAL_0200, 'ascii');
    expect(ours.mti).toBe(WITHDRAWAL_0200_MTI);
    const theirs = new Iso8583(undefined, FORMATS).getIsoJSON(Buffer.from(frame(encode(ours, asciiWithBinaryBitmap))));
    expect(theirs).toEqual(asJson(ours));
  });

  it.each(cases)('%s: every field, binary bitmap, framed', (_, message) => {
    const framed = Buffer.from(frame(encode(message, asciiWithBinaryBitmap)));
    expect(new Iso8583(undefined, FORMATS).getIsoJSON(framed)).toEqual(asJson(message));
  });

  it.each(cases.filter(([, m]) => [...m.fields.keys()].some((id) => id > 64)))(
    '%s: every field, hex-ASCII bitmap exactly as the ascii profile sends it',
    (_, message) => {
      const bytes = Buffer.from(encode(message, 'ascii'));
      expect(new Iso8583(undefined, FORMATS).getIsoJSON(bytes, { lenHeader: false, bitmapEncoding: 'utf8' })).toEqual(asJson(message));
    },
  );

  it.each(cases)('%s: what iso_8583 encodes, we decode', (_, message) => {
    const raw = new Iso8583(asJson(message), FORMATS).getRawMessage();
    if (!(raw instanceof Uint8Array)) throw new Error(`iso_8583 refused the message: ${raw.error}`);
    // It always sends a secondary bitmap, empty or not; ours must take that in its stride.
    expect(decode(raw, asciiWithBinaryBitmap)).toEqual(fromJson(asJson(message), message));
  });
});
