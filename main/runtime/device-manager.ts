import type { Clock, TimerHandle } from '../../drivers/common/clock.js';
import type { CommonDeviceEvents, Device, DeviceClass } from '../../drivers/common/device.js';
import type { CommonStatus, DeviceState } from '../../drivers/common/status.js';
import type { ByteTransport } from '../../drivers/common/transport.js';
import { SerialTransport } from '../../drivers/transports/serial-transport.js';
import { TcpTransport } from '../../drivers/transports/tcp-transport.js';
import type { DeviceSummary } from '../ipc-contract/view.js';
import type { DeviceLimit } from '../../state-machines/kiosk/availability.js';
import { ConfigError, type DeviceConfig } from './config.js';
import { deviceLimits } from './device-health.js';
import { DEVICE_MODELS, type AnyDevice, type DeviceByClass } from './device-models.js';
import type { Logger } from './logger.js';

export interface DeviceStatusReport extends DeviceSummary {
  readonly deviceClass: DeviceClass;
  readonly state: DeviceState;
  readonly critical: boolean;
  readonly limits: ReturnType<typeof deviceLimits>;
}

interface ManagedDevice {
  readonly config: DeviceConfig;
  readonly device: AnyDevice;
  readonly model: string;
  reopenTimer?: TimerHandle;
}

/** How long one open attempt may take before the device counts as failed, in ms. */
const OPEN_TIMEOUT_MS = 3000;

/**
 * Builds every configured device from the model registry, opens them, keeps
 * retrying the ones that fail, and reports each status change. A device that
 * cannot be opened stays `offline`; it never stops the kiosk from starting.
 */
export class DeviceManager {
  private readonly devices = new Map<string, ManagedDevice>();
  /** Limits the runtime imposes beyond what a device's status says, e.g. an escrow a crash left in doubt. */
  private readonly holds = new Map<string, Set<DeviceLimit>>();
  private stopped = false;

  constructor(
    configs: readonly DeviceConfig[],
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly reopenIntervalMs: number,
    private readonly onStatus: (report: DeviceStatusReport) => void,
  ) {
    for (const config of configs) {
      const model = DEVICE_MODELS[config.model];
      if (!model) throw new ConfigError(`device ${config.id}: unknown model "${config.model}"`);
      if (model.deviceClass !== config.deviceClass) {
        throw new ConfigError(
          `device ${config.id}: model "${config.model}" is a ${model.deviceClass}, not a ${config.deviceClass}`,
        );
      }
      const options = model.optionsSchema.safeParse(config.options);
      if (!options.success) {
        throw new ConfigError(
          `device ${config.id}: bad options: ${options.error.issues.map((i) => i.message).join('; ')}`,
        );
      }
      const device = model.create(config.id, clock, createTransport(config), options.data);
      this.add(config, device, model.description);
      // One physical unit may expose several device classes (an I/O board's lights beside its sensors).
      for (const companion of companionsOf(device)) {
        if (this.devices.has(companion.id)) throw new ConfigError(`device id ${companion.id} is used twice`);
        this.add({ ...config, id: companion.id, deviceClass: companion.deviceClass, critical: false }, companion, model.description);
      }
    }
  }

  private add(config: DeviceConfig, device: AnyDevice, model: string): void {
    this.devices.set(config.id, { config, device, model });
    // Every class shares statusChanged; the base contract subscribes without narrowing the union.
    const base: Device<CommonStatus, CommonDeviceEvents<CommonStatus>> = device;
    base.on('statusChanged', () => this.report(config.id));
  }

  /** Every managed device, companions included. */
  all(): AnyDevice[] {
    return [...this.devices.values()].map((m) => m.device);
  }

  /** The first device of a class, typed by its contract. */
  byClass<C extends keyof DeviceByClass>(deviceClass: C): DeviceByClass[C] | undefined {
    return this.all().find((d) => d.deviceClass === deviceClass) as DeviceByClass[C] | undefined;
  }

  /** Opens every device in parallel; resolves when each has opened or failed once. */
  async start(): Promise<void> {
    await Promise.all([...this.devices.keys()].map((id) => this.open(id)));
  }

  /** Imposes or lifts a runtime limit on a device and reports the device when that changes. */
  hold(id: string, limit: DeviceLimit, on: boolean): void {
    const held = this.holds.get(id) ?? new Set<DeviceLimit>();
    if (held.has(limit) === on) return;
    if (on) held.add(limit);
    else held.delete(limit);
    this.holds.set(id, held);
    this.report(id);
  }

  get(id: string): AnyDevice | undefined {
    return this.devices.get(id)?.device;
  }

  reports(): DeviceStatusReport[] {
    return [...this.devices.keys()].map((id) => this.reportOf(id));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const managed of this.devices.values()) {
      if (managed.reopenTimer) this.clock.clearTimeout(managed.reopenTimer);
    }
    await Promise.all([...this.devices.values()].map((m) => m.device.close()));
  }

  private async open(id: string): Promise<void> {
    const managed = this.devices.get(id);
    if (!managed || this.stopped) return;
    const controller = new AbortController();
    const timer = this.clock.setTimeout(() => controller.abort(), OPEN_TIMEOUT_MS);
    const result = await managed.device.open(controller.signal);
    this.clock.clearTimeout(timer);
    this.report(id);
    if (result.completionCode === 'success') {
      this.log.info({ device: id, info: result.payload }, 'device opened');
      return;
    }
    this.log.warn(
      { device: id, completion: result.completionCode, error: result.errorDescription },
      'device open failed',
    );
    await managed.device.close();
    managed.reopenTimer = this.clock.setTimeout(() => void this.open(id), this.reopenIntervalMs);
  }

  private report(id: string): void {
    this.onStatus(this.reportOf(id));
  }

  private reportOf(id: string): DeviceStatusReport {
    const managed = this.devices.get(id);
    if (!managed) throw new Error(`unknown device ${id}`);
    return {
      id,
      deviceClass: managed.config.deviceClass,
      state: managed.device.getStatus().device,
      model: managed.model,
      critical: managed.config.critical,
      limits: [...deviceLimits(managed.device), ...(this.holds.get(id) ?? [])],
    };
  }
}

function createTransport(config: DeviceConfig): ByteTransport {
  switch (config.transport.kind) {
    case 'serial':
      return new SerialTransport({ path: config.transport.path, baudRate: config.transport.baudRate });
    case 'tcp':
      return new TcpTransport({ host: config.transport.host, port: config.transport.port });
  }
}

/** The extra devices a model exposes beside its main one, if any. */
function companionsOf(device: AnyDevice): AnyDevice[] {
  const companions = (device as { companions?: readonly AnyDevice[] }).companions;
  return companions ? [...companions] : [];
}
