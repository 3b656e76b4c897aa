/*
 * The printer's side of the ESC/POS byte stream: splits what the host sends
 * into commands and glyphs, written from the Epson command reference and the
 * Custom/Pyramid presenter table independently of the driver's encoder. Any
 * byte sequence it does not know becomes an `unknown` command, so tests can
 * prove that everything the kiosk sends is understood.
 */

const LF = 0x0a;
const CR = 0x0d;
const DLE = 0x10;
const EOT = 0x04;
const ESC = 0x1b;
const FS = 0x1c;
const GS = 0x1d;

export type HostCommand =
  /** One printed character: a byte, or a GB18030 code in Chinese mode. */
  | { readonly kind: 'glyph'; readonly bytes: readonly number[] }
  | { readonly kind: 'lineFeed' }
  | { readonly kind: 'carriageReturn' }
  | { readonly kind: 'initialize' }
  | { readonly kind: 'align'; readonly n: number }
  | { readonly kind: 'emphasis'; readonly on: boolean }
  /** ESC !: bit 3 bold, bit 4 double height, bit 5 double width. */
  | { readonly kind: 'printMode'; readonly n: number }
  /** GS !: width − 1 in the high nibble, height − 1 in the low one. */
  | { readonly kind: 'characterSize'; readonly n: number }
  | { readonly kind: 'feed'; readonly lines: number }
  | { readonly kind: 'codeTable'; readonly n: number }
  | { readonly kind: 'font'; readonly n: number }
  | { readonly kind: 'chineseMode'; readonly on: boolean }
  | { readonly kind: 'cut'; readonly partial: boolean }
  /** GS ( k for QR (cn 49): function code and its parameters. */
  | { readonly kind: 'qr'; readonly fn: number; readonly parameters: readonly number[] }
  /** GS e n [m [t]]: presenter. */
  | { readonly kind: 'presenter'; readonly n: number; readonly args: readonly number[] }
  | { readonly kind: 'realtimeStatus'; readonly n: number }
  | { readonly kind: 'unknown'; readonly bytes: readonly number[] };

const take = (b: Uint8Array, from: number, to: number): number[] => Array.from(b.subarray(from, to));

type Parsed = { readonly command: HostCommand; readonly length: number } | 'incomplete';

/** GS e functions and how many argument bytes each takes. */
const PRESENTER_ARGS: Readonly<Record<number, number>> = { 1: 0, 2: 0, 3: 1, 5: 0, 6: 0, 18: 0, 20: 0, 32: 2 };

function parseOne(b: Uint8Array, chineseMode: boolean): Parsed {
  const [b0 = 0, b1, b2, b3] = b;
  const need = (n: number, command: () => HostCommand): Parsed =>
    b.length < n ? 'incomplete' : { command: command(), length: n };
  const unknown = (n: number): Parsed => need(n, () => ({ kind: 'unknown', bytes: take(b, 0, n) }));

  if (b0 === LF) return { command: { kind: 'lineFeed' }, length: 1 };
  if (b0 === CR) return { command: { kind: 'carriageReturn' }, length: 1 };
  if (b0 >= 0x20 && b0 <= 0x7e) return { command: { kind: 'glyph', bytes: [b0] }, length: 1 };
  if (b0 >= 0x80) {
    if (!chineseMode || b0 === 0x80 || b0 === 0xff) return { command: { kind: 'glyph', bytes: [b0] }, length: 1 };
    if (b1 === undefined) return 'incomplete';
    // GB18030: a second byte 30..39 means a four-byte code.
    const length = b1 >= 0x30 && b1 <= 0x39 ? 4 : 2;
    return need(length, () => ({ kind: 'glyph', bytes: take(b, 0, length) }));
  }
  if (b1 === undefined) return 'incomplete';
  if (b0 === DLE && b1 === EOT) return need(3, () => ({ kind: 'realtimeStatus', n: b2 ?? 0 }));
  if (b0 === FS && b1 === 0x26) return { command: { kind: 'chineseMode', on: true }, length: 2 };
  if (b0 === FS && b1 === 0x2e) return { command: { kind: 'chineseMode', on: false }, length: 2 };
  if (b0 === ESC) {
    switch (b1) {
      case 0x40:
        return { command: { kind: 'initialize' }, length: 2 };
      case 0x69:
      case 0x6d:
        return { command: { kind: 'cut', partial: b1 === 0x69 }, length: 2 };
      case 0x61:
        return need(3, () => ({ kind: 'align', n: (b2 ?? 0) % 0x30 }));
      case 0x45:
        return need(3, () => ({ kind: 'emphasis', on: ((b2 ?? 0) & 1) === 1 }));
      case 0x21:
        return need(3, () => ({ kind: 'printMode', n: b2 ?? 0 }));
      case 0x64:
        return need(3, () => ({ kind: 'feed', lines: b2 ?? 0 }));
      case 0x74:
        return need(3, () => ({ kind: 'codeTable', n: b2 ?? 0 }));
      case 0x4d:
        return need(3, () => ({ kind: 'font', n: b2 ?? 0 }));
      default:
        return unknown(2);
    }
  }
  if (b0 === GS) {
    switch (b1) {
      case 0x21:
        return need(3, () => ({ kind: 'characterSize', n: b2 ?? 0 }));
      case 0x56: {
        if (b2 === undefined) return 'incomplete';
        const m = b2;
        if (m === 0 || m === 1 || m === 0x30 || m === 0x31)
          return { command: { kind: 'cut', partial: m % 0x30 === 1 }, length: 3 };
        if (m === 0x41 || m === 0x42) return need(4, () => ({ kind: 'cut', partial: m === 0x42 }));
        return unknown(3);
      }
      case 0x65: {
        if (b2 === undefined) return 'incomplete';
        const args = PRESENTER_ARGS[b2];
        if (args === undefined) return unknown(3);
        return need(3 + args, () => ({ kind: 'presenter', n: b2, args: take(b, 3, 3 + args) }));
      }
      case 0x28: {
        if (b2 === undefined || b3 === undefined || b[4] === undefined) return 'incomplete';
        const length = 5 + b3 + (b[4] << 8);
        if (b2 !== 0x6b) return unknown(length);
        return need(length, () =>
          b[5] === 0x31 && length >= 7
            ? { kind: 'qr', fn: b[6] ?? 0, parameters: take(b, 7, length) }
            : { kind: 'unknown', bytes: take(b, 0, length) },
        );
      }
      default:
        return unknown(2);
    }
  }
  return { command: { kind: 'unknown', bytes: [b0] }, length: 1 };
}

/** Incremental parser: feed chunks as they arrive, get whole commands back. */
export class EscPosStreamParser {
  private buffer = new Uint8Array(0);
  private chineseMode = false;

  push(chunk: Uint8Array): { command: HostCommand; bytes: Uint8Array }[] {
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer);
    joined.set(chunk, this.buffer.length);
    const out: { command: HostCommand; bytes: Uint8Array }[] = [];
    let offset = 0;
    while (offset < joined.length) {
      const parsed = parseOne(joined.subarray(offset), this.chineseMode);
      if (parsed === 'incomplete') break;
      const { command, length } = parsed;
      if (command.kind === 'chineseMode') this.chineseMode = command.on;
      if (command.kind === 'initialize') this.chineseMode = false;
      out.push({ command, bytes: joined.slice(offset, offset + length) });
      offset += length;
    }
    this.buffer = joined.slice(offset);
    return out;
  }

  /** Drops a half-received command (e.g. after a power cycle). */
  reset(): void {
    this.buffer = new Uint8Array(0);
    this.chineseMode = false;
  }
}
