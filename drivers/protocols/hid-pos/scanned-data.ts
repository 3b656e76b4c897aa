/**
 * HID POS barcode scanner (usage page 0x8C), Honeywell's scanned-data input report
 * (protocols.md §8). Report ID 02, 63 data bytes after the report ID:
 *   [0]      number of symbol bytes in this report
 *   [1..3]   AIM symbology identifier, e.g. "]Q1"
 *   [4..59]  symbol bytes (56 at most per report)
 *   [60]     Honeywell code ID, e.g. 0x73 = QR
 *   [62]     ≠ 0: more reports of the same code follow
 * A code longer than one report arrives as a run of reports; the last has [62] = 0.
 * Scanning is switched on with feature report 0xFE = 01 (and off with 00).
 * Pure: no I/O. Offsets here are without the report-ID byte (node-hid puts it at [0]).
 */

export const SCANNED_DATA_REPORT_ID = 0x02;
export const ENABLE_FEATURE_REPORT_ID = 0xfe;
export const SCANNED_DATA_REPORT_LENGTH = 63;
export const MAX_SYMBOL_BYTES_PER_REPORT = 56;

const LENGTH_AT = 0;
const AIM_AT = 1;
const DATA_AT = 4;
const CODE_ID_AT = 60;
const MORE_AT = 62;

/** The enable/disable feature report's data. */
export const enableReportData = (on: boolean): Uint8Array => Uint8Array.of(on ? 0x01 : 0x00);

export interface ScannedFragment {
  readonly aim: string;
  readonly codeId: number;
  readonly data: Uint8Array;
  readonly more: boolean;
}

export interface ScannedCode {
  /** AIM identifier of the first report, e.g. "]Q1". */
  readonly aim: string;
  /** Honeywell code ID of the first report. */
  readonly codeId: number;
  readonly data: Uint8Array;
}

/** Reads one scanned-data report; null when it is too short or its length byte overruns it. */
export function parseScannedDataReport(report: Uint8Array): ScannedFragment | null {
  if (report.length < SCANNED_DATA_REPORT_LENGTH) return null;
  const length = report[LENGTH_AT]!;
  if (length > MAX_SYMBOL_BYTES_PER_REPORT) return null;
  const aim = String.fromCharCode(report[AIM_AT]!, report[AIM_AT + 1]!, report[AIM_AT + 2]!);
  return {
    aim,
    codeId: report[CODE_ID_AT]!,
    data: report.slice(DATA_AT, DATA_AT + length),
    more: report[MORE_AT] !== 0,
  };
}

/**
 * Joins the reports of one code. A report that is not a scanned-data report is
 * ignored; a malformed one, or a code longer than `maxBytes`, drops the code
 * being assembled (the customer scans again) instead of growing without bound.
 */
export class ScannedDataAssembler {
  private parts: Uint8Array[] = [];
  private size = 0;
  private first: { aim: string; codeId: number } | undefined;
  /** The rest of a dropped code is still arriving: its reports are skipped up to its last. */
  private skipping = false;

  constructor(private readonly maxBytes = 4096) {}

  push(reportId: number, report: Uint8Array): ScannedCode | null {
    if (reportId !== SCANNED_DATA_REPORT_ID) return null;
    const fragment = parseScannedDataReport(report);
    if (fragment === null) {
      this.reset();
      return null;
    }
    if (this.skipping) {
      this.skipping = fragment.more;
      return null;
    }
    if (this.size + fragment.data.length > this.maxBytes) {
      this.reset();
      this.skipping = fragment.more;
      return null;
    }
    this.first ??= { aim: fragment.aim, codeId: fragment.codeId };
    this.parts.push(fragment.data);
    this.size += fragment.data.length;
    if (fragment.more) return null;
    const data = new Uint8Array(this.size);
    let at = 0;
    for (const part of this.parts) {
      data.set(part, at);
      at += part.length;
    }
    const code = { ...this.first, data };
    this.reset();
    return code;
  }

  reset(): void {
    this.skipping = false;
    this.parts = [];
    this.size = 0;
    this.first = undefined;
  }
}

/** The reports a scanner sends for one code (for driver tests; goldens come from the documentation). */
export function buildScannedDataReports(code: ScannedCode): Uint8Array[] {
  const reports: Uint8Array[] = [];
  let at = 0;
  do {
    const chunk = code.data.subarray(at, at + MAX_SYMBOL_BYTES_PER_REPORT);
    at += chunk.length;
    const report = new Uint8Array(SCANNED_DATA_REPORT_LENGTH);
    report[LENGTH_AT] = chunk.length;
    for (let i = 0; i < 3; i++) report[AIM_AT + i] = code.aim.charCodeAt(i) & 0xff;
    report.set(chunk, DATA_AT);
    report[CODE_ID_AT] = code.codeId;
    report[MORE_AT] = at < code.data.length ? 1 : 0;
    reports.push(report);
  } while (at < code.data.length);
  return reports;
}
