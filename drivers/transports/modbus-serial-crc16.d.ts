// modbus-serial ships its CRC helper without typings.
declare module 'modbus-serial/utils/crc16.js' {
  /** CRC-16/MODBUS of the whole buffer. */
  const crc16: (buffer: Uint8Array) => number;
  export default crc16;
}
