import type { HostCommand } from './escpos-stream.js';

/*
 * What the printer puts on paper: lines of positioned text runs with their
 * style, QR symbols, and cuts between tickets. Tests compare two byte streams
 * by what they print, whatever order their mode bytes came in.
 */

export interface TextRun {
  /** First column the run occupies (0-based, normal-width columns). */
  readonly column: number;
  readonly text: string;
  readonly bold: boolean;
  readonly width: number;
  readonly height: number;
}
export type PaperLine =
  | { readonly kind: 'text'; readonly runs: readonly TextRun[] }
  | {
      readonly kind: 'qr';
      readonly data: string;
      readonly model: number;
      readonly moduleSize: number;
      readonly errorCorrection: string;
      readonly align: 'left' | 'center' | 'right';
    };
export interface Ticket {
  readonly lines: readonly PaperLine[];
  readonly cut: 'full' | 'partial' | 'none';
}

/** Decodes a GB18030 byte sequence to text. */
export type Gb18030Decoder = (bytes: Uint8Array) => string;

interface Cell {
  readonly char: string;
  readonly columns: number;
  readonly bold: boolean;
  readonly width: number;
  readonly height: number;
}

const ALIGNMENTS = ['left', 'center', 'right'] as const;
const ERROR_LEVELS: Readonly<Record<number, string>> = { 48: 'L', 49: 'M', 50: 'Q', 51: 'H' };

export class PaperModel {
  private tickets: Ticket[] = [];
  private lines: PaperLine[] = [];
  private cells: Cell[] = [];
  private align = 0;
  private bold = false;
  private width = 1;
  private height = 1;
  private qr = { model: 2, moduleSize: 3, errorCorrection: 'L', data: '' };

  constructor(
    private readonly columns: number,
    private readonly decode: Gb18030Decoder,
  ) {}

  /** Completed tickets, then whatever is printed but not yet cut. */
  printed(): Ticket[] {
    const pending = this.lines.length > 0 || this.cells.length > 0;
    return pending
      ? [...this.tickets, { lines: [...this.lines, ...this.pendingLine()], cut: 'none' }]
      : [...this.tickets];
  }

  /** Takes the oldest completed ticket off the paper (into a presenter or a bin). */
  takeTicket(): Ticket | undefined {
    return this.tickets.shift();
  }

  /** Cuts what is printed into a ticket if nothing cut it yet (presenters cut by themselves). */
  cutIfPending(): void {
    if (this.lines.length > 0 || this.cells.length > 0) this.apply({ kind: 'cut', partial: false });
  }

  clear(): void {
    this.tickets = [];
    this.lines = [];
    this.cells = [];
  }

  apply(command: HostCommand): void {
    switch (command.kind) {
      case 'glyph':
        this.glyph(command.bytes);
        break;
      case 'lineFeed':
        this.lineFeed();
        break;
      case 'initialize':
        this.align = 0;
        this.bold = false;
        this.width = 1;
        this.height = 1;
        break;
      case 'align':
        this.align = command.n <= 2 ? command.n : 0;
        break;
      case 'emphasis':
        this.bold = command.on;
        break;
      case 'printMode':
        this.bold = (command.n & 0x08) !== 0;
        this.height = command.n & 0x10 ? 2 : 1;
        this.width = command.n & 0x20 ? 2 : 1;
        break;
      case 'characterSize':
        this.width = (command.n >> 4) + 1;
        this.height = (command.n & 0x0f) + 1;
        break;
      case 'feed':
        for (let i = 0; i < command.lines; i += 1) this.lineFeed();
        break;
      case 'cut':
        if (this.cells.length > 0) this.lineFeed();
        this.tickets.push({ lines: this.lines, cut: command.partial ? 'partial' : 'full' });
        this.lines = [];
        break;
      case 'qr':
        this.qrFunction(command.fn, command.parameters);
        break;
      default:
        // Carriage return, code table, font, Chinese mode, presenter, status: nothing on paper.
        break;
    }
  }

  private glyph(bytes: readonly number[]): void {
    const [first = 0] = bytes;
    const char =
      bytes.length > 1 ? this.decode(Uint8Array.from(bytes)) : first < 0x80 ? String.fromCharCode(first) : '\ufffd';
    const columns = (bytes.length > 1 ? 2 : 1) * this.width;
    // A full line buffer prints by itself, as on the device.
    if (this.used() + columns > this.columns) this.lineFeed();
    this.cells.push({ char, columns, bold: this.bold, width: this.width, height: this.height });
  }

  private used(): number {
    return this.cells.reduce((n, c) => n + c.columns, 0);
  }

  private pendingLine(): PaperLine[] {
    return this.cells.length > 0 ? [this.textLine()] : [];
  }

  private lineFeed(): void {
    this.lines.push(this.textLine());
    this.cells = [];
  }

  /** Places the cells by the alignment and groups non-space cells of one style into runs. */
  private textLine(): PaperLine {
    const free = this.columns - this.used();
    let column = this.align === 1 ? Math.floor(free / 2) : this.align === 2 ? free : 0;
    const runs: TextRun[] = [];
    let current: { column: number; text: string; bold: boolean; width: number; height: number } | undefined;
    for (const cell of this.cells) {
      const space = cell.char === ' ';
      const same =
        current?.bold === cell.bold && current.width === cell.width && current.height === cell.height && !space;
      if (space) current = undefined;
      else if (same && current) current.text += cell.char;
      else {
        current = { column, text: cell.char, bold: cell.bold, width: cell.width, height: cell.height };
        runs.push(current);
      }
      column += cell.columns;
    }
    return { kind: 'text', runs };
  }

  private qrFunction(fn: number, parameters: readonly number[]): void {
    const [p0 = 0, p1] = parameters;
    if (fn === 0x41) this.qr.model = p0 - 48;
    if (fn === 0x43) this.qr.moduleSize = p0;
    if (fn === 0x45) this.qr.errorCorrection = ERROR_LEVELS[p0] ?? '?';
    if (fn === 0x50) this.qr.data = String.fromCharCode(...parameters.slice(1));
    if (fn === 0x51 && p1 === undefined) {
      if (this.cells.length > 0) this.lineFeed();
      const { data, model, moduleSize, errorCorrection } = this.qr;
      this.lines.push({
        kind: 'qr',
        data,
        model,
        moduleSize,
        errorCorrection,
        align: ALIGNMENTS[this.align] ?? 'left',
      });
    }
  }
}

/** A ticket as plain text lines (runs placed at their columns; Chinese is two columns wide). */
export function ticketText(ticket: Ticket): string[] {
  return ticket.lines.map((line) => {
    if (line.kind === 'qr') return `[QR ${line.data}]`;
    let text = '';
    let used = 0;
    for (const run of line.runs) {
      text += ' '.repeat(Math.max(0, run.column - used)) + run.text;
      used = run.column + [...run.text].reduce((n, c) => n + (c.charCodeAt(0) < 0x80 ? 1 : 2) * run.width, 0);
    }
    return text;
  });
}
