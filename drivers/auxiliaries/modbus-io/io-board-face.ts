import { CommandQueue } from '../../common/command-queue.js';
import { DeviceError, complete, fail, ok, type DeviceResult } from '../../common/completion.js';
import type { CommonDeviceEvents, DeviceClass, DriverContext } from '../../common/device.js';
import { EventHub, type Unsubscribe } from '../../common/events.js';
import { ModbusExceptionError } from '../../common/modbus-master.js';
import type { CommonStatus, DeviceInformation } from '../../common/status.js';
import { StatusStore } from '../../common/status-store.js';
import { boardOpenFailure, type BoardReading, type ModbusIoBoard } from './io-board.js';

/**
 * What the Auxiliaries and Lights faces of a Modbus I/O board share: status
 * and events, attaching to the board on open, going offline when the board is
 * lost, and one command at a time. A face turns board readings into its
 * status (`apply`) and adds its class's commands over `command` and `write`.
 */
export abstract class ModbusIoBoardFace<
  S extends CommonStatus,
  Events extends CommonDeviceEvents<S>,
  E extends string,
> {
  abstract readonly deviceClass: DeviceClass;
  readonly id: string;
  private readonly hub = new EventHub<Events>();
  protected readonly store: StatusStore<S, Events>;
  private readonly queue = new CommandQueue();
  private attached = false;

  protected constructor(
    context: DriverContext,
    protected readonly board: ModbusIoBoard,
    initial: S,
  ) {
    this.id = context.id;
    this.store = new StatusStore<S, Events>(initial, this.hub);
    board.on('reading', (reading) => this.apply(reading));
    board.on('lost', (detail) => this.store.update({ device: 'offline', detail } as Partial<S>));
  }

  getStatus(): S {
    return this.store.get();
  }

  on<K extends keyof Events>(type: K, listener: (payload: Events[K]) => void): Unsubscribe {
    return this.hub.on(type, listener);
  }

  async open(signal: AbortSignal): Promise<DeviceResult<DeviceInformation>> {
    if (this.attached) return fail<never>('sequenceError', 'already open');
    try {
      const info = await this.board.attach(signal);
      this.attached = true;
      const reading = this.board.reading;
      if (reading) this.apply(reading);
      return ok(info);
    } catch (err) {
      return boardOpenFailure(err);
    }
  }

  async close(): Promise<void> {
    if (!this.attached) return;
    this.attached = false;
    await this.board.detach();
  }

  /** Runs a command body in the face's queue; what it throws becomes the completion. */
  protected command(signal: AbortSignal, body: () => Promise<void>): Promise<DeviceResult<void, E>> {
    return this.queue.run(signal, () => complete<void, E>(body));
  }

  /**
   * Writes to the board once it is online; a Modbus exception answer (the
   * board refused the address or value) becomes the class's `refused` code.
   */
  protected async write(refused: E, action: () => Promise<void>): Promise<void> {
    if (this.store.get().device !== 'online') throw new DeviceError('deviceNotReady', 'the I/O board is offline');
    try {
      await action();
    } catch (err) {
      if (err instanceof ModbusExceptionError) throw new DeviceError('commandErrorCode', err.message, refused);
      throw err;
    }
  }

  /** Turns one poll's reading into this face's status. */
  protected abstract apply(reading: BoardReading): void;
}
