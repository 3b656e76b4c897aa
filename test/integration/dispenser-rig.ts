import type { DispenserOptions } from '../../drivers/cash-dispenser/dispenser-core.js';
import type { CashDispenserDevice } from '../../drivers/cash-dispenser/contract.js';
import type { CashUnit } from '../../drivers/storage/contract.js';
import { DEV_DEVICE_KEY, DEV_HOST_KEY, type DispenserSimConfig, type DispenserSimulator } from '../../simulators/dispenser-core/dispenser-sim.js';
import type { ByteTransport } from '../../drivers/common/transport.js';
import { cashDispenserContract, type DispenserRig } from '../contract/cash-dispenser.contract.js';
import { overPipeAndPty } from './support/serial-rigs.js';

/** The rig's cassettes as the simulated firmware loads them (20 notes each, CNY 100/50/20/10). */
export const SIM_CONFIG: DispenserSimConfig = {
  cassettes: [
    { value: 10000, currency: 'CNY', count: 20, serialPrefix: 'AA' },
    { value: 5000, currency: 'CNY', count: 20, serialPrefix: 'AB' },
    { value: 2000, currency: 'CNY', count: 20, serialPrefix: 'AC' },
    { value: 1000, currency: 'CNY', count: 20, serialPrefix: 'AD' },
  ],
  rejectCapacity: 50,
  pickMs: 2,
};

/** The same cassettes as the operator configures them for the driver. */
export const DRIVER_OPTIONS: DispenserOptions = {
  cassettes: [
    { unitId: 'cas1', currency: 'CNY', value: 10000, initialCount: 20 },
    { unitId: 'cas2', currency: 'CNY', value: 5000, initialCount: 20 },
    { unitId: 'cas3', currency: 'CNY', value: 2000, initialCount: 20 },
    { unitId: 'cas4', currency: 'CNY', value: 1000, initialCount: 20 },
  ],
  rejectUnit: { unitId: 'reject', capacity: 50 },
  pollIntervalMs: 25,
  missedPollsOffline: 2,
  dispenseBaseMs: 1000,
  perNoteMs: 100,
};

export function rigFor(
  sim: DispenserSimulator,
  dispenser: CashDispenserDevice & { cashUnits(): readonly CashUnit[] },
  cleanup: () => Promise<void>,
): DispenserRig {
  return {
    dispenser,
    hostKey: Buffer.from(DEV_HOST_KEY, 'hex'),
    deviceKey: Buffer.from(DEV_DEVICE_KEY, 'hex'),
    takeNotes: () => sim.control('takeNotes', {}),
    leaveNotes: () => sim.control('leaveNotes', {}),
    fault: (fault) => sim.control('fault', fault),
    clear: (kind, unit) => sim.control('clear', unit === undefined ? { kind } : { kind, unit }),
    loadCassette: (unit, denomination, count) => sim.control('loadCassette', { unit, denomination, count }),
    power: (on) => sim.control('power', { on }),
    physical: () => {
      const s = sim.device.snapshot;
      return {
        cassettes: s.cassettes.map((c) => c.notes.length),
        stacker: s.stacker.length,
        exit: s.exit.length,
        rejectBin: s.rejectBin.length,
      };
    },
    close: async () => {
      await dispenser.close();
      await cleanup();
    },
  };
}

/** The cash-dispenser contract for a model's driver and simulator, over an in-memory pipe and a socat pty pair (9600 8E1). */
export function simulatedDispenserContract(
  label: string,
  simulator: () => DispenserSimulator,
  driver: (host: ByteTransport) => CashDispenserDevice & { cashUnits(): readonly CashUnit[] },
): void {
  overPipeAndPty(
    cashDispenserContract,
    label,
    { pipeName: 'cashDispenser', serial: { baudRate: 9600, parity: 'even' } },
    async (line) => {
      const sim = simulator();
      await sim.attach(line.device);
      return rigFor(sim, driver(line.host), async () => {
        await sim.detach();
        await line.close();
      });
    },
  );
}
