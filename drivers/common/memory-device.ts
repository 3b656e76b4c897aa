import type { Clock, TimerHandle } from './clock.js';
import { CommandQueue } from './command-queue.js';
import {
  CanceledError,
  DeviceError,
  complete,
  throwIfAborted,
  type DeviceResult,
  type FailureCode,
} from './completion.js';
import type { CommonDeviceEvents, DeviceClass } from './device.js';
import { EventHub, type Unsubscribe } from './events.js';
import type { CommonStatus, DeviceInformation, DeviceState } from './status.js';
import { isUsable } from './status.js';
import { StatusStore } from './status-store.js';

/** What every in-memory device is built from. */
export interface MemoryDeviceBaseOptions {
  readonly id: string;
  /** Overrides the reported manufacturer facts; protocol defaults to "memory". */
  readonly information?: Partial<DeviceInformation>;
}

/** A device whose tests also play customer waits on the injected clock. */
export interface MemoryDeviceOptions extends MemoryDeviceBaseOptions {
  readonly clock: Clock;
}

/** A failure a test arms for the next call of one command. */
export interface InjectedFault<E extends string> {
  /** Defaults to `commandErrorCode` when `errorCode` is set, else `hardwareError`. */
  readonly completionCode?: FailureCode;
  readonly errorCode?: E;
}

/**
 * A customer wait (card insertion, PIN entry) that a test action settles. It ends
 * with `settle`/`reject`, with CanceledError when the command's signal aborts, or
 * with the error `arm` was given when its timer on the injected clock fires.
 */
export class PendingWait<T> {
  private entry: { resolve: (value: T) => void; reject: (err: unknown) => void } | undefined;
  private timer: TimerHandle | undefined;
  private detach: (() => void) | undefined;

  constructor(private readonly clock: Clock) {}

  get active(): boolean {
    return this.entry !== undefined;
  }

  wait(signal: AbortSignal): Promise<T> {
    if (this.entry) return Promise.reject(new DeviceError('sequenceError', 'a wait is already active'));
    throwIfAborted(signal);
    return new Promise<T>((resolve, reject) => {
      this.entry = { resolve, reject };
      const onAbort = (): void => {
        this.reject(new CanceledError('command canceled'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.detach = () => {
        signal.removeEventListener('abort', onAbort);
      };
    });
  }

  /** (Re)starts the timeout; each call replaces the previous timer, so it also serves inter-key timeouts. */
  arm(ms: number, onTimeout: () => unknown): void {
    this.disarm();
    if (ms <= 0 || !this.entry) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.reject(onTimeout());
    }, ms);
  }

  settle(value: T): boolean {
    const entry = this.finish();
    entry?.resolve(value);
    return entry !== undefined;
  }

  reject(err: unknown): boolean {
    const entry = this.finish();
    entry?.reject(err);
    return entry !== undefined;
  }

  private disarm(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private finish(): { resolve: (value: T) => void; reject: (err: unknown) => void } | undefined {
    const entry = this.entry;
    this.entry = undefined;
    this.disarm();
    this.detach?.();
    this.detach = undefined;
    return entry;
  }
}

/**
 * The shared core of the in-memory devices: status store, event hub, serial
 * command queue, open/close and device-state gating. Environment-neutral, so
 * simulators and the browser host can use the same fakes. Subclasses add
 * their class's commands (through `run`) and the test-side methods that play
 * the customer or the engineer; each picks its own way to inject faults.
 */
export abstract class MemoryDeviceBase<S extends CommonStatus, Events extends CommonDeviceEvents<S>, E extends string> {
  abstract readonly deviceClass: DeviceClass;
  readonly id: string;
  protected readonly hub = new EventHub<Events>();
  private readonly statusStore: StatusStore<S, Events>;
  private readonly queue = new CommandQueue();
  private readonly information: DeviceInformation;
  private opened = false;

  /** `initial` is the status after open; until then `device` reads `offline`. */
  protected constructor(options: MemoryDeviceBaseOptions, initial: S) {
    this.id = options.id;
    this.information = {
      modelName: 'memory',
      serialNumber: options.id,
      firmware: '0',
      protocol: 'memory',
      ...options.information,
    };
    this.statusStore = new StatusStore<S, Events>({ ...initial, device: 'offline' }, this.hub);
  }

  open(signal: AbortSignal): Promise<DeviceResult<DeviceInformation>> {
    return complete<DeviceInformation, never>(async () => {
      throwIfAborted(signal);
      this.opening();
      this.opened = true;
      this.patchStatus({ device: 'online' } as Partial<S>);
      return this.information;
    });
  }

  close(): Promise<void> {
    this.opened = false;
    this.patchStatus({ device: 'offline' } as Partial<S>);
    return Promise.resolve();
  }

  getStatus(): S {
    return this.statusStore.get();
  }

  on<K extends keyof Events>(type: K, listener: (payload: Events[K]) => void): Unsubscribe {
    return this.hub.on(type, listener);
  }

  /** Test side: the device changes state by itself (power loss, hardware fault, recovery). */
  setDeviceState(device: DeviceState): void {
    this.patchStatus({ device } as Partial<S>);
  }

  protected patchStatus(patch: Partial<S>): void {
    this.statusStore.update(patch);
  }

  /** Hook run by `open` before the device goes online; throwing fails the open. */
  protected opening(): void {
    // Nothing by default: only devices with injectable open faults need it.
  }

  /**
   * Runs a command body in the serial queue once the device is open and
   * usable; whatever the body throws becomes a completion (a DeviceError's
   * payload included). `CE` narrows the error codes to the command's own.
   */
  protected run<T, CE extends string = E, P = undefined>(
    signal: AbortSignal,
    body: () => T | Promise<T>,
  ): Promise<DeviceResult<T, CE, P>> {
    return complete<T, CE, P>(() =>
      this.queue.run(signal, async () => {
        this.checkReady();
        return body();
      }),
    );
  }

  /** Like `run` but outside the queue, for queries XFS services answer at once (status, key details). */
  protected runNow<T>(signal: AbortSignal, body: () => T): Promise<DeviceResult<T, E>> {
    return complete<T, E>(async () => {
      throwIfAborted(signal);
      this.checkReady();
      return body();
    });
  }

  private checkReady(): void {
    if (!this.opened) throw new DeviceError('deviceNotReady', 'device not open');
    const state = this.statusStore.get().device;
    if (state === 'hardwareError') throw new DeviceError('hardwareError', 'device reports hardwareError');
    if (!isUsable(state)) throw new DeviceError('deviceNotReady', `device is ${state}`);
  }
}

/**
 * An in-memory device whose tests arm failures per command and settle
 * customer waits on the injected clock. `C` names the commands a test may
 * inject a fault into.
 */
export abstract class MemoryDevice<
  S extends CommonStatus,
  Events extends CommonDeviceEvents<S>,
  E extends string,
  C extends string,
> extends MemoryDeviceBase<S, Events, E> {
  protected readonly clock: Clock;
  private readonly faults = new Map<C | 'open', InjectedFault<E>[]>();
  private readonly waits: PendingWait<unknown>[] = [];

  protected constructor(options: MemoryDeviceOptions, initial: S) {
    super(options, initial);
    this.clock = options.clock;
  }

  override close(): Promise<void> {
    for (const wait of this.waits) wait.reject(new DeviceError('deviceNotReady', 'device closed'));
    return super.close();
  }

  /** Test side: the next call of `command` fails this way (faults queue up per command). */
  injectFault(command: C | 'open', fault: InjectedFault<E>): void {
    const list = this.faults.get(command) ?? [];
    list.push(fault);
    this.faults.set(command, list);
  }

  protected override opening(): void {
    this.takeFault('open');
  }

  /** A wait that `close` ends with deviceNotReady. */
  protected createWait<T>(): PendingWait<T> {
    const wait = new PendingWait<T>(this.clock);
    this.waits.push(wait as PendingWait<unknown>);
    return wait;
  }

  /** `run`, unless a fault is armed for the command. */
  protected command<T>(name: C, signal: AbortSignal, body: () => T | Promise<T>): Promise<DeviceResult<T, E>> {
    return this.run<T>(signal, () => {
      this.takeFault(name);
      return body();
    });
  }

  /** `runNow`, unless a fault is armed for the query. */
  protected query<T>(name: C, signal: AbortSignal, body: () => T): Promise<DeviceResult<T, E>> {
    return this.runNow(signal, () => {
      this.takeFault(name);
      return body();
    });
  }

  private takeFault(name: C | 'open'): void {
    const fault = this.faults.get(name)?.shift();
    if (!fault) return;
    const code = fault.completionCode ?? (fault.errorCode === undefined ? 'hardwareError' : 'commandErrorCode');
    throw new DeviceError<E>(code, `injected fault in ${name}`, fault.errorCode);
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
