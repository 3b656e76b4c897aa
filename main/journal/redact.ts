/**
 * The journal's sensitive-data guard: pure functions, no I/O.
 *
 * - PANs (13–19 digits passing Luhn, plain or in groups joined by one space or
 *   dash) are masked to first 6 / last 4 wherever they appear in a string or a
 *   number of the payload.
 * - Keys that name PIN, track or card-verification data, and values that look
 *   like magnetic-stripe track data, are refused: such data must never reach
 *   the journal, even masked.
 */

/** Why `assertSafe` refused a value. The error carries the JSON path, never the data. */
export type SensitiveReason = 'forbiddenKey' | 'trackData';

export class SensitiveDataError extends Error {
  override readonly name = 'SensitiveDataError';
  constructor(
    readonly reason: SensitiveReason,
    /** JSON path of the offending key or value, e.g. `$.card.track2`. */
    readonly path: string,
  ) {
    super(`refused ${reason === 'forbiddenKey' ? 'sensitive key' : 'track data'} at ${path}`);
  }
}

/** Key names compare case-insensitively with `_`, `-` and spaces removed. */
const FORBIDDEN_KEY = /^(?:pin|pinblock|pindata|clearpin|cvv2?|icvv|cvc2?|track[123].*)$/;

/**
 * Track 2 (`;PAN=YYMM…?`), its EMV form (tag 57: `PAN D YYMM…`, hex) and track 1
 * (`%BPAN^NAME^YYMM…`). The PAN is bounded by a non-digit so `12345D6789` inside
 * a longer hex string matches only when 12+ decimal digits precede the separator.
 */
const TRACK_DATA = /(?:^|[^0-9])[0-9]{12,19}[=Dd][0-9]{4}|[Bb][0-9]{12,19}\^/;

/** Every forbidden key starts with one of these letters: a cheap first test for the common key. */
const FORBIDDEN_FIRST = /^[\s_-]*[pcitPCIT]/;

export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_FIRST.test(key) && FORBIDDEN_KEY.test(key.toLowerCase().replace(/[\s_-]/g, ''));
}

export function looksLikeTrackData(text: string): boolean {
  return TRACK_DATA.test(text);
}

/** The Luhn (mod 10) check over a string of decimal digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

const PAN_MIN = 13;
const PAN_MAX = 19;
const KEEP_FIRST = 6;
const KEEP_LAST = 4;

/** Digit groups joined by exactly one space or dash: a PAN may be written "6222 0212 3456 1234". */
const DIGIT_CHAIN = /[0-9]+(?:[ -][0-9]+)*/g;
const HAS_PAN_LENGTH_RUN = /[0-9](?:[ -]?[0-9]){12}/;
/** Track data and PANs both need a dozen digits: most strings are cleared by this one test. */
const MANY_DIGITS = /[0-9](?:[ -]?[0-9]){11}/;

/**
 * Masks one chain of digit groups: every run of whole, consecutive groups with
 * 13–19 digits in all that passes Luhn keeps its first 6 and last 4 digits.
 * Windows are taken on group boundaries so a PAN next to other numbers
 * ("ref 12 4111 1111 1111 1111") is still found.
 */
function maskChain(chain: string): string {
  const groups = chain.split(/[ -]/);
  const starts: number[] = [];
  let at = 0;
  for (const g of groups) {
    starts.push(at);
    at += g.length + 1;
  }
  let out: string[] | undefined;
  for (let i = 0; i < groups.length; i++) {
    let digits = '';
    for (let j = i; j < groups.length; j++) {
      digits += groups[j];
      if (digits.length > PAN_MAX) break;
      if (digits.length < PAN_MIN || !luhnValid(digits)) continue;
      out ??= [...chain];
      const from = starts[i] ?? 0;
      const to = (starts[j] ?? 0) + (groups[j]?.length ?? 0);
      let seen = 0;
      for (let k = from; k < to; k++) {
        if (out[k] === ' ' || out[k] === '-') continue;
        if (seen >= KEEP_FIRST && seen < digits.length - KEEP_LAST) out[k] = '*';
        seen++;
      }
    }
  }
  return out ? out.join('') : chain;
}

function maskOnce(text: string): string {
  return text.replace(DIGIT_CHAIN, (chain) => (chain.length < PAN_MIN ? chain : maskChain(chain)));
}

/**
 * Masks every PAN in `text`. Masking only ever turns digits into `*`, so it is
 * repeated until nothing changes: the result is a fixed point and masking is
 * idempotent by construction.
 */
export function maskPans(text: string): string {
  if (!HAS_PAN_LENGTH_RUN.test(text)) return text;
  let current = text;
  for (;;) {
    const next = maskOnce(current);
    if (next === current) return current;
    current = next;
  }
}

function maskNumber(n: number): number | string {
  if (!Number.isSafeInteger(n) || Math.abs(n) < 10 ** (PAN_MIN - 1)) return n;
  const text = String(n);
  const masked = maskPans(text);
  return masked === text ? n : masked;
}

type Path = (string | number)[];

/** The path names where, never what: a key that is itself a PAN is masked here too. */
function pathText(path: Path): string {
  return maskPans(path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : `${s}.${p}`), '$'));
}

/**
 * One walk for both jobs. Returns `value` itself when nothing needed masking,
 * so the common case allocates nothing.
 */
function visit(value: unknown, path: Path, strict: boolean): unknown {
  if (typeof value === 'string') {
    if (!MANY_DIGITS.test(value)) return value;
    if (strict && looksLikeTrackData(value)) throw new SensitiveDataError('trackData', pathText(path));
    return maskPans(value);
  }
  if (typeof value === 'number') return maskNumber(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      const v = visit(value[i], path, strict);
      path.pop();
      if (v !== value[i]) (copy ??= value.slice())[i] = v;
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let copy: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    path.push(key);
    if (strict && isForbiddenKey(key)) throw new SensitiveDataError('forbiddenKey', pathText(path));
    let safeKey = key;
    if (MANY_DIGITS.test(key)) {
      if (strict && looksLikeTrackData(key)) throw new SensitiveDataError('trackData', pathText(path));
      safeKey = maskPans(key); // a PAN can be a key too: a map by card number
    }
    const v = visit(record[key], path, strict);
    path.pop();
    if (!copy && (safeKey !== key || v !== record[key])) {
      copy = {};
      for (let k = 0; k < i; k++) copy[keys[k] as string] = record[keys[k] as string];
    }
    if (copy) copy[safeKey] = v;
  }
  return copy ?? value;
}

/** A copy of `value` with every PAN masked (first 6 / last 4). Never throws. */
export function redact<T>(value: T): T {
  return visit(value, [], false) as T;
}

/** Throws SensitiveDataError when `value` holds a forbidden key or track data anywhere. */
export function assertSafe(value: unknown): void {
  visit(value, [], true);
}

/** `assertSafe` and `redact` in one walk: what the journal applies at its door. */
export function sanitize<T>(value: T): T {
  return visit(value, [], true) as T;
}
