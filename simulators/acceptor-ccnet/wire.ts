/**
 * Device side of CCNET framing, apart from the driver's codec: table-driven
 * CRC-16/KERMIT (reflected 0x8408), SYNC/ADR/LNG frames, a byte reader that
 * skips to the next SYNC after a bad frame.
 */
const TABLE = Array.from({ length: 256 }, (_, i) => {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x8408 : c >>> 1;
  return c;
});

export function kermit(bytes: ArrayLike<number>): number {
  let crc = 0;
  for (let i = 0; i < bytes.length; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ bytes[i]!) & 0xff]!;
  return crc;
}

export function ccnetFrame(data: ArrayLike<number>): Buffer {
  const head = [0x02, 0x03, data.length + 5, ...Array.from(data)];
  const crc = kermit(head);
  return Buffer.from([...head, crc & 0xff, crc >> 8]);
}

export class FrameReader {
  private buf: number[] = [];

  /** Whole frames for the bill validator address; corrupt ones are skipped. */
  feed(chunk: Uint8Array): Buffer[] {
    this.buf.push(...chunk);
    const frames: Buffer[] = [];
    for (;;) {
      const at = this.buf.indexOf(0x02);
      if (at < 0) {
        this.buf = [];
        break;
      }
      this.buf.splice(0, at);
      if (this.buf.length < 3) break;
      const len = this.buf[2]!;
      if (len < 6) {
        this.buf.shift();
        continue;
      }
      if (this.buf.length < len) break;
      const bytes = this.buf.slice(0, len);
      const crc = kermit(bytes.slice(0, len - 2));
      if ((crc & 0xff) !== bytes[len - 2] || crc >> 8 !== bytes[len - 1]) {
        this.buf.shift();
        continue;
      }
      this.buf.splice(0, len);
      if (bytes[1] === 0x03) frames.push(Buffer.from(bytes.slice(3, len - 2)));
    }
    return frames;
  }
}
