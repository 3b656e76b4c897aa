import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SCANNED_DATA_REPORT_ID,
  ScannedDataAssembler,
  buildScannedDataReports,
  enableReportData,
  parseScannedDataReport,
} from '../../../../drivers/protocols/hid-pos/scanned-data.js';

/** A 63-byte report body (report ID not included), filled from the layout in protocols.md §8. */
function report(fields: { length: number; aim: number[]; data: number[]; codeId: number; more: number }): Uint8Array {
  const r = new Uint8Array(63);
  r[0] = fields.length; // [0] symbol length in this report
  r.set(fields.aim, 1); // [1..3] AIM symbology identifier
  r.set(fields.data, 4); // [4..] symbol data
  r[60] = fields.codeId; // [60] Honeywell code ID
  r[62] = fields.more; // [62] ≠ 0: more reports follow
  return r;
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

// Golden: a QR code "APPT-123456" — AIM "]Q1" = 5D 51 31, code ID 0x73 ('s', QR), one report.
const QR_SINGLE = report({
  length: 0x0b,
  aim: [0x5d, 0x51, 0x31],
  data: [0x41, 0x50, 0x50, 0x54, 0x2d, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36],
  codeId: 0x73,
  more: 0x00,
});

describe('HID POS scanned-data report (Honeywell report 02)', () => {
  it('reads the golden single-report QR code', () => {
    expect(parseScannedDataReport(QR_SINGLE)).toEqual({
      aim: ']Q1',
      codeId: 0x73,
      data: Uint8Array.from(ascii('APPT-123456')),
      more: false,
    });
    const code = new ScannedDataAssembler().push(SCANNED_DATA_REPORT_ID, QR_SINGLE);
    expect(code && text(code.data)).toBe('APPT-123456');
  });

  it('joins a code split over two reports at the more-reports flag', () => {
    const first = 'A'.repeat(56);
    const reports = [
      report({ length: 56, aim: ascii(']Q1'), data: ascii(first), codeId: 0x73, more: 0x01 }),
      report({ length: 4, aim: ascii(']Q1'), data: ascii('TAIL'), codeId: 0x73, more: 0x00 }),
    ];
    const assembler = new ScannedDataAssembler();
    expect(assembler.push(2, reports[0]!)).toBeNull();
    const code = assembler.push(2, reports[1]!);
    expect(code).toEqual({ aim: ']Q1', codeId: 0x73, data: Uint8Array.from(ascii(first + 'TAIL')) });
  });

  it('ignores other report IDs and refuses short or overrunning reports', () => {
    const assembler = new ScannedDataAssembler();
    expect(assembler.push(0x01, QR_SINGLE)).toBeNull();
    expect(parseScannedDataReport(QR_SINGLE.subarray(0, 40))).toBeNull();
    const overrun = QR_SINGLE.slice();
    overrun[0] = 57;
    expect(parseScannedDataReport(overrun)).toBeNull();
  });

  it('drops a code that grows past the limit, then reads the next one', () => {
    const assembler = new ScannedDataAssembler(100);
    const long = buildScannedDataReports({ aim: ']Q1', codeId: 0x73, data: new Uint8Array(150).fill(0x41) });
    expect(long.map((r) => assembler.push(2, r))).toEqual([null, null, null]);
    expect(assembler.push(2, QR_SINGLE)).not.toBeNull();
  });

  it('enables with feature report FE = 01 and disables with 00', () => {
    expect([...enableReportData(true)]).toEqual([0x01]);
    expect([...enableReportData(false)]).toEqual([0x00]);
  });

  it('round-trips any code through its reports', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 400 }), (data) => {
        const assembler = new ScannedDataAssembler();
        const results = buildScannedDataReports({ aim: ']d1', codeId: 0x77, data }).map((r) => assembler.push(2, r));
        expect(results.slice(0, -1).every((r) => r === null)).toBe(true);
        expect(results.at(-1)).toEqual({ aim: ']d1', codeId: 0x77, data });
      }),
    );
  });

  it('never throws on random, truncated or corrupted reports', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 80 })), { maxLength: 30 }),
        (reports) => {
          const assembler = new ScannedDataAssembler(256);
          for (const [id, data] of reports) {
            const code = assembler.push(id, data);
            if (code !== null) expect(code.data.length).toBeLessThanOrEqual(256);
          }
        },
      ),
    );
  });
});
