/**
 * CRC-16/KERMIT (protocols.md §0): poly 0x1021 reflected (0x8408), init 0,
 * refin/refout, xorout 0; check("123456789") = 0x2189. F56 sends it LSB first.
 */
const TABLE = Uint16Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x8408 : c >>> 1;
  return c;
});

export function crc16Kermit(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let crc = 0;
  for (let i = from; i < to; i++) crc = (crc >>> 8) ^ (TABLE[(crc ^ (bytes[i] as number)) & 0xff] as number);
  return crc;
}
