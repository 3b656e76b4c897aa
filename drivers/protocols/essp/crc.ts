/**
 * CRC-16/CMS, ITL's "forward CRC-16" (protocols.md §0): poly 0x8005, seed
 * 0xFFFF, not reflected, no final xor; sent low byte first. Used for the
 * outer frame (SEQ..DATA) and inside the encrypted payload (eLEN..ePACKING).
 */
export function crc16Cms(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x8005) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The CRC as it goes on the wire: low byte, high byte. */
export function crcBytes(bytes: Uint8Array): [number, number] {
  const crc = crc16Cms(bytes);
  return [crc & 0xff, crc >> 8];
}
