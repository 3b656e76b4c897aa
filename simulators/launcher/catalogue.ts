import type { DeviceSimulator } from '../common/simulator.js';
import { EscPosPrinterSimulator } from '../printer-escpos/escpos-printer-sim.js';

/**
 * The serial-device simulators the launcher starts, by device id. A new
 * simulator is added here and gets its own pty pair automatically.
 */
export interface SerialSimulatorEntry {
  readonly name: string;
  create(): DeviceSimulator;
}

export const SERIAL_SIMULATORS: readonly SerialSimulatorEntry[] = [
  { name: 'receiptPrinter', create: () => new EscPosPrinterSimulator('receiptPrinter') },
];
