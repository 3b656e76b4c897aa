/**
 * CRC-16/KERMIT as CashCode CCNET uses it (protocols.md §0): reflected poly
 * 0x8408, init 0, no final xor; sent low byte first, over SYNC..DATA.
 */
export function crc16Kermit(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return crc;
}
