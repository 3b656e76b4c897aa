import { crc16Modbus } from './crc16-modbus.js';

/**
 * The slave's side of RTU framing (Modbus over Serial Line V1.02 §2.5.1):
 * address, function code, data, CRC low byte, CRC high byte; at most 256
 * bytes. Written from the documentation, independently of the driver side.
 */
export interface RtuRequest {
  readonly address: number;
  readonly functionCode: number;
  /** The PDU data after the function code, without the CRC. */
  readonly data: Uint8Array;
}

const MAX_FRAME = 256;
/** Address, function code and the CRC: the smallest frame. */
const MIN_FRAME = 4;

/** A frame to send: address + PDU + CRC-16/MODBUS, low byte first. */
export function encodeRtuFrame(address: number, pdu: ArrayLike<number>): Uint8Array {
  const frame = new Uint8Array(pdu.length + 3);
  frame[0] = address;
  frame.set(Array.from(pdu), 1);
  const crc = crc16Modbus(frame, 0, frame.length - 2);
  frame[frame.length - 2] = crc & 0xff;
  frame[frame.length - 1] = crc >>> 8;
  return frame;
}

/** True when the last two bytes are the CRC of the rest. */
export function hasValidCrc(frame: ArrayLike<number>): boolean {
  if (frame.length < MIN_FRAME) return false;
  const crc = crc16Modbus(frame, 0, frame.length - 2);
  return frame[frame.length - 2] === (crc & 0xff) && frame[frame.length - 1] === crc >>> 8;
}

/**
 * Cuts requests out of the received byte stream. A real slave ends a frame at
 * 3.5 character times of silence; this one also ends it as soon as the
 * function code says how long a request is, so back-to-back requests work on
 * a pty that delivers bytes in bursts. The owner calls `silence()` when the
 * line has been quiet for the inter-frame gap. A frame with a bad CRC, or too
 * long, is dropped together with everything up to the next silence, as a real
 * slave does; a truncated frame is dropped at the silence. Never throws.
 */
export class RtuRequestReceiver {
  private buffer: number[] = [];
  private discarding = false;
  private droppedFrames = 0;

  /** Frames dropped so far (bad CRC, truncated, oversized). */
  get dropped(): number {
    return this.droppedFrames;
  }

  /** Bytes held while a frame is incomplete. */
  get pending(): number {
    return this.buffer.length;
  }

  push(chunk: ArrayLike<number>): RtuRequest[] {
    if (this.discarding) return [];
    for (let i = 0; i < chunk.length; i++) this.buffer.push((chunk[i] ?? 0) & 0xff);
    const requests: RtuRequest[] = [];
    for (;;) {
      if (this.buffer.length > MAX_FRAME) {
        this.discard();
        return requests;
      }
      const length = requestLength(this.buffer);
      // Header still arriving, or a function whose length only the silence tells.
      if (length === 'incomplete' || length === undefined) return requests;
      if (length > MAX_FRAME) {
        this.discard();
        return requests;
      }
      if (this.buffer.length < length) return requests;
      const frame = this.buffer.slice(0, length);
      if (!hasValidCrc(frame)) {
        this.discard();
        return requests;
      }
      this.buffer = this.buffer.slice(length);
      requests.push(toRequest(frame));
    }
  }

  /** The inter-frame gap has passed: whatever is held is either a whole frame of unknown length or dropped. */
  silence(): RtuRequest[] {
    const held = this.buffer;
    this.buffer = [];
    this.discarding = false;
    if (held.length === 0) return [];
    if (requestLength(held) === undefined && hasValidCrc(held)) return [toRequest(held)];
    this.droppedFrames += 1;
    return [];
  }

  private discard(): void {
    this.buffer = [];
    this.discarding = true;
    this.droppedFrames += 1;
  }
}

/**
 * The length of the request at the head of `buffer`, when its function code
 * fixes one: 01–06 are address + function + 4 data bytes + CRC; 0F and 10
 * carry a byte count in their seventh byte. 'incomplete' while the header is
 * still arriving; undefined for other function codes.
 */
function requestLength(buffer: readonly number[]): number | 'incomplete' | undefined {
  if (buffer.length < 2) return 'incomplete';
  const functionCode = buffer[1] ?? 0;
  if (functionCode >= 0x01 && functionCode <= 0x06) return 8;
  if (functionCode === 0x0f || functionCode === 0x10) {
    const byteCount = buffer[6];
    return byteCount === undefined ? 'incomplete' : 9 + byteCount;
  }
  return undefined;
}

function toRequest(frame: readonly number[]): RtuRequest {
  return {
    address: frame[0] ?? 0,
    functionCode: frame[1] ?? 0,
    data: Uint8Array.from(frame.slice(2, frame.length - 2)),
  };
}
