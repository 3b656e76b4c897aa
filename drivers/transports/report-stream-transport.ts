import { EventHub, type Unsubscribe } from '../common/events.js';
import type { ByteTransport, ReportTransport } from '../common/transport.js';

/** Longest report a frame can carry (one length byte). */
const MAX_REPORT = 255;

/**
 * HID reports carried over a byte stream: each frame is `report ID, length, data`.
 * This is how the runtime reaches the simulated HID scanner, which the simulators
 * process serves on loopback TCP because this machine has no virtual HID
 * (/dev/uhid). A real kiosk plugs a node-hid ReportTransport in instead (node-hid
 * is not installed here); the driver above does not change.
 */
export class ReportStreamTransport implements ReportTransport {
  readonly kind = 'hid' as const;
  readonly description: string;
  private readonly hub = new EventHub<{ report: { reportId: number; data: Uint8Array } }>();
  private pending = new Uint8Array(0);
  private offData: Unsubscribe | undefined;

  constructor(private readonly stream: ByteTransport) {
    this.description = `hid-over-${stream.kind} ${stream.description}`;
  }

  get isOpen(): boolean {
    return this.stream.isOpen;
  }

  async open(signal?: AbortSignal): Promise<void> {
    await this.stream.open(signal);
    this.pending = new Uint8Array(0);
    this.offData ??= this.stream.onData((chunk) => this.receive(chunk));
  }

  async close(): Promise<void> {
    this.offData?.();
    this.offData = undefined;
    await this.stream.close();
  }

  onClose(listener: (reason?: Error) => void): Unsubscribe {
    return this.stream.onClose(listener);
  }

  sendReport(reportId: number, data: Uint8Array): Promise<void> {
    if (reportId < 0 || reportId > 0xff || data.length > MAX_REPORT)
      return Promise.reject(new RangeError('report does not fit a frame'));
    const frame = new Uint8Array(2 + data.length);
    frame[0] = reportId;
    frame[1] = data.length;
    frame.set(data, 2);
    return this.stream.write(frame);
  }

  onReport(listener: (reportId: number, data: Uint8Array) => void): Unsubscribe {
    return this.hub.on('report', ({ reportId, data }) => listener(reportId, data));
  }

  private receive(chunk: Uint8Array): void {
    const joined = new Uint8Array(this.pending.length + chunk.length);
    joined.set(this.pending);
    joined.set(chunk, this.pending.length);
    let at = 0;
    while (joined.length - at >= 2 && joined.length - at >= 2 + joined[at + 1]!) {
      const length = joined[at + 1]!;
      this.hub.emit('report', { reportId: joined[at]!, data: joined.slice(at + 2, at + 2 + length) });
      at += 2 + length;
    }
    this.pending = joined.slice(at);
  }
}
