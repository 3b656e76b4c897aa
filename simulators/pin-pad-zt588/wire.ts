/*
 * The EPP's side of the ZT588 framing, written here from protocols.md §5a and
 * independently of the driver's codec: STX, three ASCII decimal digits giving
 * the text length, the text, ETX, then the XOR of everything from the first
 * length digit to ETX as two upper-case hex characters.
 */
const START = 0x02;
const END = 0x03;

function xorAll(bytes: readonly number[]): number {
  return bytes.reduce((acc, b) => acc ^ b, 0);
}

function hex2(value: number): string {
  return value.toString(16).toUpperCase().padStart(2, '0');
}

/** Frames a reply text (bytes, so that error statuses 0xE0–0xEF pass unchanged). */
export function frameReply(text: readonly number[], corrupt = false): Uint8Array {
  const body = [...String(text.length).padStart(3, '0')].map((c) => c.charCodeAt(0)).concat(text, END);
  const check = xorAll(body) ^ (corrupt ? 0xff : 0);
  return Uint8Array.from([START, ...body, ...[...hex2(check)].map((c) => c.charCodeAt(0))]);
}

/**
 * Collects command frames from the host. Anything that is not a well-formed
 * frame is dropped, as the EPP ignores line noise; the host resends on timeout.
 */
export class CommandFrameReader {
  private buffer: number[] = [];

  push(chunk: Uint8Array): string[] {
    this.buffer.push(...chunk);
    const commands: string[] = [];
    for (;;) {
      const start = this.buffer.indexOf(START);
      if (start < 0) {
        this.buffer = [];
        return commands;
      }
      this.buffer.splice(0, start);
      if (this.buffer.length < 4) return commands;
      const digits = String.fromCharCode(...this.buffer.slice(1, 4));
      if (!/^\d{3}$/.test(digits)) {
        this.buffer.shift();
        continue;
      }
      const total = Number(digits) + 7;
      if (this.buffer.length < total) {
        // A new STX inside the announced text means this frame was cut short.
        const restart = this.buffer.indexOf(START, 1);
        if (restart > 0) this.buffer.splice(0, restart);
        if (restart > 0) continue;
        return commands;
      }
      const frame = this.buffer.splice(0, total);
      const body = frame.slice(1, total - 2);
      const check = String.fromCharCode(...frame.slice(total - 2));
      if (body[body.length - 1] === END && check === hex2(xorAll(body))) {
        commands.push(String.fromCharCode(...body.slice(3, -1)));
      }
    }
  }
}
