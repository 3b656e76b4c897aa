import type { Server } from 'node:http';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SerialTransport } from '../../drivers/transports/serial-transport.js';
import type { DeviceSimulator } from '../common/simulator.js';
import { SERIAL_SIMULATORS, type SerialSimulatorEntry, type SimulatorContext } from './catalogue.js';
import { startControlServer, type ControllableSimulator } from './control-server.js';
import { ensurePcscd, type PcscdState } from './pcscd.js';
import { wireChipContact } from './chip-contact.js';
import { createPtyPair, type PtyPair } from './pty-pair.js';
import { TCP_SERVICES, type TcpService, type TcpServiceEntry } from './tcp-services.js';

export interface SimulatorSetOptions {
  /** Folder for the pty links (`<runDir>/tty/<name>` is the driver's end). */
  readonly runDir: string;
  /** Port of the developer API; 0 picks a free one. */
  readonly controlPort?: number;
  readonly entries?: readonly SerialSimulatorEntry[];
  /** Start pcscd for the virtual chip reader (default true). */
  readonly pcsc?: boolean;
  /** vpcd slot the virtual chip card connects to: 0 = "Virtual PCD 00 00", 1 = "Virtual PCD 00 01". */
  readonly vpcdSlot?: number;
  /** TCP services on loopback (default: the bank host simulator). */
  readonly tcpServices?: readonly TcpServiceEntry[];
  /** Port per TCP service name; 0 or absent picks a free one. */
  readonly tcpPorts?: Readonly<Record<string, number>>;
  /** `instant`: simulated mechanics take no time (benchmarks); default `realistic`. */
  readonly mechanics?: SimulatorContext['mechanics'];
  /** A line monitor: called with every chunk a serial simulator receives from the kiosk's driver. */
  readonly tap?: (device: string, fromDriver: Uint8Array) => void;
}

export interface RunningSimulators {
  readonly controlUrl: string;
  /** Device id → the pty path the kiosk's driver opens. */
  readonly ports: ReadonlyMap<string, string>;
  readonly simulators: ReadonlyMap<string, DeviceSimulator>;
  /** TCP service name → its loopback port (the kiosk's host link connects to `host`). */
  readonly tcpPorts: ReadonlyMap<string, number>;
  readonly pcscd: PcscdState | 'skipped';
  stop(): Promise<void>;
}

/** The pty path a driver opens for the simulated device `name`. */
export function hostPtyPath(runDir: string, name: string): string {
  return join(runDir, 'tty', name);
}

/** Starts every simulator on its own socat pty pair, plus the developer API. */
export async function startSimulators(options: SimulatorSetOptions): Promise<RunningSimulators> {
  const ttyDir = join(options.runDir, 'tty');
  await mkdir(ttyDir, { recursive: true });
  const entries = options.entries ?? SERIAL_SIMULATORS;
  const pairs: PtyPair[] = [];
  const simulators = new Map<string, DeviceSimulator>();
  const ports = new Map<string, string>();
  const services: TcpService[] = [];
  let server: Server | undefined;
  const stop = async (): Promise<void> => {
    await Promise.all([...simulators.values()].map((s) => s.detach()));
    await Promise.all(services.map((s) => s.close()));
    await Promise.all(pairs.map((p) => p.close()));
    if (server) await new Promise<void>((resolve) => server?.close(() => resolve()));
  };
  try {
    const pcscd = options.pcsc === false ? 'skipped' : await ensurePcscd();
    await Promise.all(
      entries.map(async (entry) => {
        const hostPath = hostPtyPath(options.runDir, entry.name);
        const devicePath = `${hostPath}.device`;
        await Promise.all([rm(hostPath, { force: true }), rm(devicePath, { force: true })]);
        const pair = await createPtyPair(hostPath, devicePath);
        pairs.push(pair);
        const simulator = entry.create({ runDir: options.runDir, ...(options.mechanics ? { mechanics: options.mechanics } : {}) });
        const transport = new SerialTransport({ path: devicePath, baudRate: 115200 });
        await simulator.attach(transport);
        const { tap } = options;
        if (tap) transport.onData((chunk) => tap(entry.name, chunk));
        simulators.set(entry.name, simulator);
        ports.set(entry.name, hostPath);
      }),
    );
    // Only with pcscd (and vpcd) running can a chip card be presented to the runtime.
    const chipCard =
      pcscd === 'running' || pcscd === 'started' ? wireChipContact(simulators.values(), options.vpcdSlot) : undefined;
    if (chipCard) simulators.set(chipCard.name, chipCard);
    for (const entry of options.tcpServices ?? TCP_SERVICES) {
      services.push(await entry.start(options.runDir, options.tcpPorts?.[entry.name] ?? 0));
    }
    const controllable = new Map<string, ControllableSimulator>(simulators);
    for (const service of services) controllable.set(service.name, service.simulator);
    const control = await startControlServer(controllable, options.controlPort ?? 0);
    server = control.server;
    const tcpPorts = new Map(services.map((s) => [s.name, s.port]));
    return { controlUrl: control.url, ports, simulators, tcpPorts, pcscd, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
