import { createCipheriv, createDecipheriv } from 'node:crypto';

/**
 * The device side of ITL SSP framing, written apart from the driver's codec
 * (a simulator must not share the codec under test): table-driven CRC,
 * byte-stuffing, a receiver that restarts on a lone 0x7F, and the eSSP
 * envelope with node:crypto AES-128-ECB.
 */
const TABLE = Array.from({ length: 256 }, (_, i) => {
  let c = i << 8;
  for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x8005) & 0xffff : (c << 1) & 0xffff;
  return c;
});

export function crc(bytes: ArrayLike<number>): number {
  let value = 0xffff;
  for (let i = 0; i < bytes.length; i++) value = ((value << 8) & 0xffff) ^ TABLE[((value >> 8) ^ bytes[i]!) & 0xff]!;
  return value;
}

export function frame(seqId: number, data: ArrayLike<number>): Buffer {
  const body = [seqId, data.length, ...Array.from(data)];
  const c = crc(body);
  const stuffed = [...body, c & 0xff, c >> 8].flatMap((b) => (b === 0x7f ? [0x7f, 0x7f] : [b]));
  return Buffer.from([0x7f, ...stuffed]);
}

export interface Packet {
  readonly seqId: number;
  readonly data: Buffer;
}

export class PacketReader {
  private buf: number[] | undefined;
  private sawStx = false;

  feed(chunk: Uint8Array): Packet[] {
    const packets: Packet[] = [];
    for (const b of chunk) {
      if (this.buf === undefined) {
        if (b === 0x7f) this.buf = [];
        continue;
      }
      if (this.sawStx) {
        this.sawStx = false;
        if (b !== 0x7f) {
          this.buf = [b];
          continue;
        }
      } else if (b === 0x7f) {
        this.sawStx = true;
        continue;
      }
      this.buf.push(b);
      const need = this.buf.length >= 2 ? this.buf[1]! + 4 : Infinity;
      if (this.buf.length === need) {
        const body = this.buf.slice(0, need - 2);
        const c = crc(body);
        if ((c & 0xff) === this.buf[need - 2] && c >> 8 === this.buf[need - 1]) {
          packets.push({ seqId: body[0]!, data: Buffer.from(body.slice(2)) });
        }
        this.buf = undefined;
      }
    }
    return packets;
  }
}

export function aesEcb(key: Buffer, data: Buffer, encrypt: boolean): Buffer {
  const c = encrypt ? createCipheriv('aes-128-ecb', key, null) : createDecipheriv('aes-128-ecb', key, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

/** STEX ‖ E(len | count LE | data | padding | crc). */
export function seal(key: Buffer, count: number, data: Buffer, padding: (n: number) => Buffer): Buffer {
  const head = Buffer.alloc(5 + data.length);
  head[0] = data.length;
  head.writeUInt32LE(count >>> 0, 1);
  data.copy(head, 5);
  const size = Math.ceil((head.length + 2) / 16) * 16;
  const plain = Buffer.concat([head, padding(size - head.length - 2)]);
  const c = crc(plain);
  return Buffer.concat([
    Buffer.from([0x7e]),
    aesEcb(key, Buffer.concat([plain, Buffer.from([c & 0xff, c >> 8])]), true),
  ]);
}

/** Undefined when the block does not decrypt to a packet with a good inner CRC (wrong key). */
export function open(key: Buffer, data: Buffer): { count: number; body: Buffer } | undefined {
  const cipher = data.subarray(1);
  if (cipher.length === 0 || cipher.length % 16 !== 0) return undefined;
  const plain = aesEcb(key, cipher, false);
  const c = crc(plain.subarray(0, plain.length - 2));
  if ((c & 0xff) !== plain[plain.length - 2] || c >> 8 !== plain[plain.length - 1]) return undefined;
  const len = plain[0]!;
  if (5 + len > plain.length - 2) return undefined;
  return { count: plain.readUInt32LE(1), body: plain.subarray(5, 5 + len) };
}

export const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
export const cur = (c: string): number[] => Array.from(Buffer.from(c, 'ascii'));
