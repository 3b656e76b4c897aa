import { join } from 'node:path';
import { CreatorCardReaderSimulator } from '../card-reader-creator/creator-card-reader-sim.js';
import type { DeviceSimulator } from '../common/simulator.js';
import { F56Simulator } from '../dispenser-f56/f56-sim.js';
import { Lcdm4000Simulator } from '../dispenser-lcdm4000/lcdm-sim.js';
import { EsspRecyclerSimulator } from '../recycler-essp/essp-recycler-sim.js';
import { CcnetAcceptorSimulator } from '../acceptor-ccnet/ccnet-acceptor-sim.js';
import { ModbusIoBoardSimulator } from '../io-board-modbus/io-board-sim.js';
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
  /** `instant`: no simulated mechanical time (note picking), for benchmarks of our own software. */
  readonly mechanics?: 'realistic' | 'instant';
}

const mechanicsOf = ({ mechanics }: SimulatorContext): { pickMs?: number } => (mechanics === 'instant' ? { pickMs: 0 } : {});

export const SERIAL_SIMULATORS: readonly SerialSimulatorEntry[] = [
  { name: 'receiptPrinter', create: () => new EscPosPrinterSimulator('receiptPrinter') },
  { name: 'cardReader', create: () => new CreatorCardReaderSimulator('cardReader') },
  { name: 'ioBoard', create: () => new ModbusIoBoardSimulator('ioBoard') },
  {
    name: 'pinPad',
    create: ({ runDir }) => new Zt588PinPadSimulator({ name: 'pinPad', stateDir: join(runDir, 'state', 'pinPad') }),
  },
  {
    name: 'cashAcceptor',
    create: ({ runDir }) =>
      new EsspRecyclerSimulator({ name: 'cashAcceptor', stateDir: join(runDir, 'state', 'cashAcceptor') }),
  },
  {
    name: 'cashAcceptorCcnet',
    create: ({ runDir }) =>
      new CcnetAcceptorSimulator({ name: 'cashAcceptorCcnet', stateDir: join(runDir, 'state', 'cashAcceptorCcnet') }),
  },
  {
    name: 'cashDispenser',
    create: (context) =>
      new Lcdm4000Simulator('cashDispenser', { stateDir: join(context.runDir, 'state', 'cashDispenser'), ...mechanicsOf(context) }),
  },
  {
    name: 'cashDispenserF56',
    create: (context) =>
      new F56Simulator('cashDispenserF56', { stateDir: join(context.runDir, 'state', 'cashDispenserF56'), ...mechanicsOf(context) }),
  },
];
