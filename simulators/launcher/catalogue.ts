import { join } from 'node:path';
import { CreatorCardReaderSimulator } from '../card-reader-creator/creator-card-reader-sim.js';
import type { DeviceSimulator } from '../common/simulator.js';
import { Zt588PinPadSimulator } from '../pin-pad-zt588/zt588-pin-pad-sim.js';
import { EscPosPrinterSimulator } from '../printer-escpos/escpos-printer-sim.js';

/**
 * The serial-device simulators the launcher starts, by device id. A new
 * simulator is added here and gets its own pty pair automatically.
 */
export interface SerialSimulatorEntry {
  readonly name: string;
  /** `runDir` is the launcher's run folder; simulators with non-volatile memory keep it under `<runDir>/state/<name>`. */
  create(context: SimulatorContext): DeviceSimulator;
}

/** What the launcher gives each simulator it creates. */
export interface SimulatorContext {
  readonly runDir: string;
}

export const SERIAL_SIMULATORS: readonly SerialSimulatorEntry[] = [
  { name: 'receiptPrinter', create: () => new EscPosPrinterSimulator('receiptPrinter') },
  { name: 'cardReader', create: () => new CreatorCardReaderSimulator('cardReader') },
  {
    name: 'pinPad',
    create: ({ runDir }) => new Zt588PinPadSimulator({ name: 'pinPad', stateDir: join(runDir, 'state', 'pinPad') }),
  },
];
