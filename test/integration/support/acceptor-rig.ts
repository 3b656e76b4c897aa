import type { CashAcceptorDevice, RecyclerDevice } from '../../../drivers/cash-acceptor/contract.js';
import type { ByteTransport } from '../../../drivers/common/transport.js';
import type { CashUnit } from '../../../drivers/storage/contract.js';
import type { DeviceSimulator } from '../../../simulators/common/simulator.js';
import { cashAcceptorContract, type CashAcceptorRig } from '../../contract/cash-acceptor.contract.js';
import { overPipeAndPty } from './serial-rigs.js';

type Driver = (CashAcceptorDevice | RecyclerDevice) & { cashUnits(): readonly CashUnit[] };

export interface SimulatedAcceptor {
  /** The name of the suites, e.g. "CCNET driver ↔ simulator". */
  readonly label: string;
  /** The in-memory pipe's name. */
  readonly pipeName: string;
  /** A simulator; over a pty it keeps its state in a folder of its own. */
  simulator(options: { stateDir?: string }): DeviceSimulator;
  /** A new, unopened driver on `host`. */
  driver(host: ByteTransport): Driver;
}

/** The cash-acceptor contract for a serial driver and its simulator, over an in-memory pipe and a socat pty pair. */
export function simulatedAcceptorContract(device: SimulatedAcceptor): void {
  overPipeAndPty(
    cashAcceptorContract,
    device.label,
    { pipeName: device.pipeName, serial: { baudRate: 9600 } },
    async (line) => {
      const sim = device.simulator(line.stateDir === undefined ? {} : { stateDir: line.stateDir });
      await sim.attach(line.device);
      return rigFor(
        sim,
        () => device.driver(line.host),
        async () => {
          await sim.detach();
          await line.close();
        },
      );
    },
  );
}

/** A driver against a note-acceptor simulator, the customer and the engineer acting through its developer API. */
function rigFor(sim: DeviceSimulator, driver: () => Driver, cleanup: () => Promise<void>): CashAcceptorRig {
  let acceptor = driver();
  return {
    acceptor,
    faults: ['jam', 'cashboxRemoved', 'stackerFull', 'fraudAttempt', 'noAnswer', 'garbage'],
    insertNotes: (notes) => sim.control('insertNotes', { notes }),
    takeReturnedNotes: () =>
      (sim.control('takeReturnedNotes', {}) as { notes: { serial: string }[] }).notes.map((n) => n.serial),
    fault: (kind) => sim.control('fault', { kind }),
    clear: (kind) => sim.control('clear', { kind }),
    power: (on) => sim.control('power', { on }),
    restartDriver: async () => {
      await acceptor.close();
      acceptor = driver();
      return acceptor;
    },
    units: () => acceptor.cashUnits(),
    close: async () => {
      await acceptor.close();
      await cleanup();
    },
  };
}
