import { SerialTransport } from '../../drivers/transports/serial-transport.js';
import { F56Simulator } from '../dispenser-f56/f56-sim.js';
import { Lcdm4000Simulator } from '../dispenser-lcdm4000/lcdm-sim.js';
import type { DispenserSimConfig, DispenserSimulator } from './dispenser-sim.js';

/**
 * One simulated dispenser in a process of its own, on a pty end, keeping its
 * state in a folder: killing and restarting it is a power cut.
 *   tsx simulators/dispenser-core/standalone.ts --model=lcdm4000 --device=<pty> --state=<dir> [--pick-ms=N] [--config=<json>]
 * Prints `ready` once it listens.
 */
const MODELS: Readonly<Record<string, (name: string, config: DispenserSimConfig) => DispenserSimulator>> = {
  lcdm4000: (name, config) => new Lcdm4000Simulator(name, config),
  fujitsuF56: (name, config) => new F56Simulator(name, config),
};

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key = '', ...value] = arg.replace(/^--/, '').split('=');
    return [key, value.join('=')] as const;
  }),
);
const model = MODELS[args.get('model') ?? 'lcdm4000'];
const device = args.get('device');
if (!model || !device) {
  process.stderr.write('usage: --model=lcdm4000|fujitsuF56 --device=<pty> --state=<dir> [--pick-ms=N] [--config=<json>]\n');
  process.exit(2);
}
const extra = JSON.parse(args.get('config') ?? '{}') as DispenserSimConfig;
const pickMs = args.get('pick-ms');
const stateDir = args.get('state');
const simulator = model(args.get('name') ?? 'cashDispenser', {
  ...extra,
  ...(stateDir === undefined ? {} : { stateDir }),
  ...(pickMs === undefined ? {} : { pickMs: Number(pickMs) }),
});
await simulator.attach(new SerialTransport({ path: device, baudRate: 9600, parity: 'even' }));
process.stdout.write('ready\n');
