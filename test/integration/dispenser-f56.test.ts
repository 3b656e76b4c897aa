import { F56Dispenser } from '../../drivers/cash-dispenser/f56/f56-dispenser.js';
import { systemClock } from '../../drivers/common/clock.js';
import type { ByteTransport } from '../../drivers/common/transport.js';
import { F56Simulator } from '../../simulators/dispenser-f56/f56-sim.js';
import { DRIVER_OPTIONS, SIM_CONFIG, simulatedDispenserContract } from './dispenser-rig.js';

const makeDriver = (host: ByteTransport) =>
  new F56Dispenser({ id: 'cashDispenser', clock: systemClock }, host, { ...DRIVER_OPTIONS, ackTimeoutMs: 100, replyTimeoutMs: 300, maxRetries: 1 });

simulatedDispenserContract('F56 driver ↔ simulator', () => new F56Simulator('cashDispenser', SIM_CONFIG), makeDriver);
