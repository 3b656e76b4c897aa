/**
 * CRC-16/MODBUS, written from Modbus over Serial Line V1.02 §6.2.2: preset
 * 0xFFFF, each byte XORed into the low byte, eight shifts right, XOR with the
 * polynomial 0xA001 (0x8005 reflected) whenever a 1 falls out. Sent low byte
 * first. Catalogue check value: "123456789" → 0x4B37.
 */
export function crc16Modbus(bytes: ArrayLike<number>, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) {
    crc ^= (bytes[i] ?? 0) & 0xff;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
    }
  }
  return crc;
}
