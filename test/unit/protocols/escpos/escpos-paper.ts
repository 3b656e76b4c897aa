import { EscPosStreamParser, type HostCommand } from '../../../../simulators/printer-escpos/escpos-stream.js';
import { PaperModel, type Ticket } from '../../../../simulators/printer-escpos/paper.js';
import iconv from 'iconv-lite';

/** Runs bytes through the simulator's own parser; reports leftovers the printer would still be waiting on. */
export function parseStream(bytes: Uint8Array): { commands: HostCommand[]; consumed: number } {
  const parsed = new EscPosStreamParser().push(bytes);
  return { commands: parsed.map((p) => p.command), consumed: parsed.reduce((n, p) => n + p.bytes.length, 0) };
}

/** What the bytes print, as the simulator's paper model sees it. */
export function printOnPaper(bytes: Uint8Array, columns = 42): Ticket[] {
  const paper = new PaperModel(columns, (b) => iconv.decode(Buffer.from(b), 'gb18030'));
  for (const command of parseStream(bytes).commands) paper.apply(command);
  return paper.printed();
}
