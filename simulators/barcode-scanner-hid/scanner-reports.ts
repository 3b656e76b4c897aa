/*
 * The reports a Honeywell HID POS scanner sends (protocols.md §8), written from
 * the documentation on the device's side, independent of the driver's codec.
 */

/** Input report 02: scanned data, 63 bytes after the report ID. */
export const SCAN_REPORT_ID = 2;
const SCAN_REPORT_SIZE = 63;
/** Bytes 4..59 carry the symbol. */
const SYMBOL_ROOM = 56;
/** Feature report FE: 01 = HID POS mode on (scanning), 00 = off. */
export const ENABLE_REPORT_ID = 0xfe;

export const SIMULATED_SYMBOLOGIES = ['qr', 'dataMatrix', 'pdf417', 'code128', 'ean13'] as const;
export type SimulatedSymbology = (typeof SIMULATED_SYMBOLOGIES)[number];

/** AIM identifier and Honeywell code ID per symbology. */
const IDS: Readonly<Record<SimulatedSymbology, { aim: string; codeId: number }>> = {
  qr: { aim: ']Q1', codeId: 0x73 },
  dataMatrix: { aim: ']d1', codeId: 0x77 },
  pdf417: { aim: ']L0', codeId: 0x72 },
  code128: { aim: ']C0', codeId: 0x6a },
  ean13: { aim: ']E0', codeId: 0x64 },
};

/** One code as the run of input reports the scanner sends; byte 62 flags "more follow". */
export function scanReports(symbol: Uint8Array, symbology: SimulatedSymbology): Uint8Array[] {
  const { aim, codeId } = IDS[symbology];
  const reports: Uint8Array[] = [];
  for (let at = 0; at === 0 || at < symbol.length; at += SYMBOL_ROOM) {
    const part = symbol.subarray(at, at + SYMBOL_ROOM);
    const report = new Uint8Array(SCAN_REPORT_SIZE);
    report[0] = part.length;
    report.set([...aim].map((c) => c.charCodeAt(0)), 1);
    report.set(part, 4);
    report[60] = codeId;
    report[62] = at + SYMBOL_ROOM < symbol.length ? 1 : 0;
    reports.push(report);
  }
  return reports;
}
