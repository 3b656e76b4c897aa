import { z } from 'zod';
import type { Unsubscribe } from '../../drivers/common/events.js';
import type { ReportTransport } from '../../drivers/common/transport.js';
import { SimulatorControlError } from '../common/simulator.js';
import { ENABLE_REPORT_ID, SCAN_REPORT_ID, SIMULATED_SYMBOLOGIES, scanReports } from './scanner-reports.js';

const ControlSchemas = {
  /** A code is held in front of the scanner. */
  scan: z
    .object({ data: z.string().min(1).max(2048), symbology: z.enum(SIMULATED_SYMBOLOGIES).default('qr') })
    .strict(),
  /** Line noise: a raw input report sent unasked. */
  noise: z
    .object({
      reportId: z.number().int().min(0).max(255),
      bytes: z.array(z.number().int().min(0).max(255)).max(255),
    })
    .strict(),
} as const;

/**
 * Device side of a Honeywell HID POS barcode scanner at report level: it obeys
 * the enable feature report and sends scanned-data input reports for the codes
 * a developer or test "holds in front of it". It speaks on a ReportTransport (an
 * in-memory report pipe, or the TCP bridge the launcher serves).
 */
export class HidScannerSimulator {
  readonly name: string;
  private transport: ReportTransport | undefined;
  private offReport: Unsubscribe | undefined;
  private scanning = false;
  private sent = 0;
  private ignored = 0;

  constructor(name = 'barcodeScanner') {
    this.name = name;
  }

  async attach(transport: ReportTransport): Promise<void> {
    await this.detach();
    await transport.open();
    this.transport = transport;
    this.offReport = transport.onReport((reportId, data) => {
      if (reportId === ENABLE_REPORT_ID && data.length >= 1) this.scanning = data[0] === 0x01;
    });
  }

  async detach(): Promise<void> {
    this.offReport?.();
    this.offReport = undefined;
    const transport = this.transport;
    this.transport = undefined;
    this.scanning = false;
    await transport?.close();
  }

  /** Detaches only if `transport` is still the attached one (an old connection closing late). */
  async detachIf(transport: ReportTransport): Promise<void> {
    if (this.transport === transport) await this.detach();
  }

  snapshot(): { connected: boolean; scanning: boolean; codesSent: number; codesIgnored: number } {
    return { connected: this.transport !== undefined, scanning: this.scanning, codesSent: this.sent, codesIgnored: this.ignored };
  }

  control(action: string, body: unknown): unknown {
    switch (action) {
      case 'scan': {
        const { data, symbology } = parse(ControlSchemas.scan, body);
        const transport = this.transport;
        // A scanner in keyboard-off, HID-off state reads nothing: the code is lost, as at a real kiosk.
        if (transport === undefined || !this.scanning) {
          this.ignored += 1;
          return { ...this.snapshot(), delivered: false };
        }
        for (const report of scanReports(new TextEncoder().encode(data), symbology))
          void transport.sendReport(SCAN_REPORT_ID, report).catch(() => undefined);
        this.sent += 1;
        return { ...this.snapshot(), delivered: true };
      }
      case 'noise': {
        const { reportId, bytes } = parse(ControlSchemas.noise, body);
        void this.transport?.sendReport(reportId, Uint8Array.from(bytes)).catch(() => undefined);
        return this.snapshot();
      }
      default:
        throw new SimulatorControlError(`unknown action "${action}"`);
    }
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success)
    throw new SimulatorControlError(result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return result.data;
}
