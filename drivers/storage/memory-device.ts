import { CommandQueue } from '../common/command-queue.js';
import { DeviceError, ok, toFailure } from '../common/completion.js';
import type { DeviceResult } from '../common/completion.js';
import type { CommonDeviceEvents } from '../common/device.js';
import { EventHub } from '../common/events.js';
import type { Unsubscribe } from '../common/events.js';
import type { CommonStatus, DeviceInformation } from '../common/status.js';
import { StatusStore } from '../common/status-store.js';

/**
 * What the in-memory cash and storage devices share: events, a status store,
 * the serial command queue and the open/offline lifecycle. Environment-neutral,
 * so simulators and the browser host can use the same fakes.
 */
export abstract class MemoryDevice<S extends CommonStatus, E extends CommonDeviceEvents<S>> {
  protected readonly hub = new EventHub<E>();
  protected readonly status: StatusStore<S, E>;
  private readonly queue = new CommandQueue();

  protected constructor(
    readonly id: string,
    initial: Omit<S, 'device' | 'devicePosition'>,
  ) {
    this.status = new StatusStore({ ...initial, device: 'offline', devicePosition: 'inPosition' } as S, this.hub);
  }

  open(signal: AbortSignal): Promise<DeviceResult<DeviceInformation>> {
    if (signal.aborted) return Promise.resolve(toFailure(new DeviceError('canceled', 'open canceled')));
    this.status.update({ device: 'online' } as Partial<S>);
    return Promise.resolve(
      ok({ modelName: `memory ${this.constructor.name}`, serialNumber: this.id, firmware: '1', protocol: 'memory' }),
    );
  }

  close(): Promise<void> {
    this.status.update({ device: 'offline' } as Partial<S>);
    return Promise.resolve();
  }

  getStatus(): S {
    return this.status.get();
  }

  on<K extends keyof E>(type: K, listener: (payload: E[K]) => void): Unsubscribe {
    return this.hub.on(type, listener);
  }

  /**
   * Runs a command body in the device's queue once the device is online. The
   * body returns a completion or throws a DeviceError; nothing rejects.
   */
  protected command<T, C extends string, P = undefined>(
    signal: AbortSignal,
    body: () => DeviceResult<T, C, P> | Promise<DeviceResult<T, C, P>>,
  ): Promise<DeviceResult<T, C, P>> {
    return this.queue
      .run(signal, () => {
        if (this.status.get().device !== 'online') {
          throw new DeviceError('deviceNotReady', `${this.id} is ${this.status.get().device}`);
        }
        return Promise.resolve(body());
      })
      .catch((err: unknown) => toFailure<C>(err));
  }
}

/** Throws a commandErrorCode DeviceError; keeps command bodies to one line per rule. */
export function refuse<C extends string>(errorCode: C, description: string): never {
  throw new DeviceError('commandErrorCode', description, errorCode);
}

/**
 * Faults a test arms for the next command that can hit them. Each fires once,
 * like a real jam: the test re-arms it to see it again.
 */
export class OneShotFaults<F extends string, O extends object> {
  private readonly armed = new Map<F, O>();

  arm(fault: F, options: O): void {
    this.armed.set(fault, options);
  }

  /** Returns the fault's options and disarms it, when armed and `applies` says so. */
  take(fault: F, applies: (options: O) => boolean = () => true): O | undefined {
    const options = this.armed.get(fault);
    if (options === undefined || !applies(options)) return undefined;
    this.armed.delete(fault);
    return options;
  }
}
