/**
 * ISO 8583 encode+decode throughput: our codec against the npm `iso_8583` package (2.6.7) on the
 * same ATM messages — the worked 0200 withdrawal of host-crypto.md §1.6, a balance inquiry and an
 * 0420 reversal (secondary bitmap). Target: ours ≥ 3x theirs.
 *
 * One operation is a full round: encode the message from each side's own representation (ours an
 * IsoMessage with bytes for b fields, theirs JSON with hex text) and decode the bytes back.
 * iso_8583 is configured for our `ascii` profile (hex-ASCII bitmap via an `an` DE1, b fields as hex
 * text, as in test/unit/host-link/iso8583/independent-decoder.test.ts). Its bytes equal ours for
 * the reversal; it always sends a secondary bitmap, so for the two 0200s its bytes are ours plus an
 * empty secondary bitmap (16 characters of ~300) — checked below, before any timing, together with
 * each side reading back every field, so neither side can be timing a no-op.
 *
 * Warm-up, then rounds that alternate which side goes first (load drift hits both alike); each
 * side's rate is the median of its per-round rates, the ratio the median of the per-round ratios.
 * Run alone: `npx tsx test/bench/iso8583.bench.ts`.
 */
import { isDeepStrictEqual } from 'node:util';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../../drivers/common/clock.js';
import { decode, encode, type IsoMessage } from '../../main/host-link/iso8583/index.js';
import { ATM_MESSAGES } from '../fixtures/iso8583/atm-messages.js';
import { WITHDRAWAL_0200 } from '../fixtures/iso8583/withdrawal-0200.js';
import { median } from './support/stats.js';

interface Iso8583Instance {
  getIsoJSON(
    buffer: Buffer,
    config?: { lenHeader?: boolean; bitmapEncoding?: 'hex' | 'utf8' },
  ): Record<string, string> & { error?: string };
  getRawMessage(): Buffer | { error: string };
}
type Iso8583Class = new (message?: Record<string, string>, customFormats?: object) => Iso8583Instance;
const Iso8583 = createRequire(import.meta.url)('iso_8583') as Iso8583Class;

const hexText = (length: number, LenType = 'fixed') => ({
  ContentType: 'ans',
  Label: 'hex-ASCII binary',
  LenType,
  MaxLen: length,
});
/** Our ascii profile told to iso_8583: hex-ASCII bitmap, b fields as the hex text they are on the wire, DE53 n16. */
const FORMATS = {
  1: { ContentType: 'an', Label: 'Bitmap (hex-ASCII)', LenType: 'fixed', MaxLen: 32 },
  52: hexText(16),
  53: { ContentType: 'n', Label: 'Security related control information', LenType: 'fixed', MaxLen: 16 },
  55: hexText(510, 'lllvar'),
  64: hexText(16),
  128: hexText(16),
};
const THEIR_DECODE = { lenHeader: false, bitmapEncoding: 'utf8' } as const;

const MESSAGES: readonly IsoMessage[] = [
  decode(WITHDRAWAL_0200, 'ascii'),
  ATM_MESSAGES.balance!,
  ATM_MESSAGES.reversal!,
];

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').toUpperCase();

/** iso_8583's JSON for a message: "0" is the MTI, bytes as hex text. */
function asJson(message: IsoMessage): Record<string, string> {
  const json: Record<string, string> = { 0: message.mti };
  for (const [id, value] of message.fields) json[id] = typeof value === 'string' ? value : hex(value);
  return json;
}

function theirEncode(json: Record<string, string>): Buffer {
  const raw = new Iso8583(json, FORMATS).getRawMessage();
  if (!Buffer.isBuffer(raw)) throw new Error(`iso_8583 refused a message: ${raw.error}`);
  return raw;
}

function theirDecode(bytes: Buffer): Record<string, string> {
  const json = new Iso8583(undefined, FORMATS).getIsoJSON(bytes, THEIR_DECODE);
  if (json.error !== undefined) throw new Error(`iso_8583 could not decode: ${json.error}`);
  return json;
}

/** Our bytes as iso_8583 sends them: bit 1 set and an empty secondary bitmap when we have none. */
function withEmptySecondary(ours: Uint8Array): string {
  const text = Buffer.from(ours).toString('latin1');
  if ((parseInt(text[4]!, 16) & 8) !== 0) return text;
  return `${text.slice(0, 4)}${(parseInt(text[4]!, 16) | 8).toString(16).toUpperCase()}${text.slice(5, 20)}${'0'.repeat(16)}${text.slice(20)}`;
}

/** Once, before timing: both sides produce the same wire form and read every field back. */
function checkEquivalence(): void {
  for (const message of MESSAGES) {
    const json = asJson(message);
    const ours = encode(message, 'ascii');
    const theirs = theirEncode(json);
    if (theirs.toString('latin1') !== withEmptySecondary(ours))
      throw new Error(`${message.mti}: the two encoders' bytes differ`);
    if (!isDeepStrictEqual(decode(ours, 'ascii'), message))
      throw new Error(`${message.mti}: our round trip lost a field`);
    if (!isDeepStrictEqual(decode(theirs, 'ascii'), message))
      throw new Error(`${message.mti}: we read iso_8583's bytes differently`);
    if (!isDeepStrictEqual(theirDecode(theirs), json))
      throw new Error(`${message.mti}: iso_8583's round trip lost a field`);
  }
}

const JSON_MESSAGES = MESSAGES.map(asJson);

/** Encodes and decodes every message `loops` times; the returned count keeps the work observable. */
function ours(loops: number): number {
  let fields = 0;
  for (let i = 0; i < loops; i++) {
    for (const message of MESSAGES) fields += decode(encode(message, 'ascii'), 'ascii').fields.size;
  }
  return fields;
}

function theirs(loops: number): number {
  let fields = 0;
  for (let i = 0; i < loops; i++) {
    for (const json of JSON_MESSAGES) fields += Object.keys(theirDecode(theirEncode(json))).length;
  }
  return fields;
}

const ROUNDS = 15;
/** Time each side gets per round. */
const ROUND_MS = 40;
const WARM_UP_MS = 300;

/** Messages a second (each encoded and decoded) over `loops` loops. */
function rate(run: (loops: number) => number, loops: number): number {
  const t = systemClock.monotonic();
  if (run(loops) === 0) throw new Error('no fields round-tripped');
  return (loops * MESSAGES.length * 1000) / (systemClock.monotonic() - t);
}

/** Runs one loop at a time for WARM_UP_MS (so the JIT settles) and returns how many loops fill ROUND_MS. */
function warmUp(run: (loops: number) => number): number {
  let loops = 0;
  const t = systemClock.monotonic();
  while (systemClock.monotonic() - t < WARM_UP_MS) loops += run(1) > 0 ? 1 : 0;
  return Math.max(1, Math.round((loops * ROUND_MS) / WARM_UP_MS));
}

export function benchIso8583(): Promise<{ oursPerSec: number; theirsPerSec: number; ratio: number }> {
  checkEquivalence();
  const ourLoops = warmUp(ours);
  const theirLoops = warmUp(theirs);
  const oursRates: number[] = [];
  const theirsRates: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let o: number;
    let t: number;
    if (round % 2 === 0) {
      o = rate(ours, ourLoops);
      t = rate(theirs, theirLoops);
    } else {
      t = rate(theirs, theirLoops);
      o = rate(ours, ourLoops);
    }
    oursRates.push(o);
    theirsRates.push(t);
    ratios.push(o / t);
  }
  return Promise.resolve({ oursPerSec: median(oursRates), theirsPerSec: median(theirsRates), ratio: median(ratios) });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await benchIso8583();
  process.stdout.write(
    `iso8583 encode+decode: ours ${r.oursPerSec.toFixed(0)}/s, iso_8583 ${r.theirsPerSec.toFixed(0)}/s, ratio ${r.ratio.toFixed(2)} (target ≥ 3)\n`,
  );
}
