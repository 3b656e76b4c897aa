/** Binary parameters travel as upper-case ASCII hex in the EPP's hex mode (control `6` `7`). */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');
}

/** Parses even-length hex; undefined when `text` is not hex. */
export function fromHex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(text)) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** A byte as two hex digits, as key slots are written (`%02X`). */
export function hexByte(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) throw new RangeError(`${value} is not a byte`);
  return value.toString(16).toUpperCase().padStart(2, '0');
}
