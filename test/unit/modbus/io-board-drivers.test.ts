import { beforeEach, describe, expect, it } from 'vitest';
import type { AuxiliariesStatus } from '../../../drivers/auxiliaries/contract.js';
import { ManualClock } from '../../../drivers/common/clock.js';
import { DeviceTimeoutError } from '../../../drivers/common/completion.js';
import { ModbusExceptionError, type ModbusMaster } from '../../../drivers/common/modbus-master.js';
import { createModbusIoBoard, type ModbusIoBoardDevices } from '../../../drivers/lights/modbus-io/io-board-devices.js';

/** A board in memory behind the ModbusMaster port; `down` makes every call time out. */
class FakeMaster implements ModbusMaster {
  readonly description = 'fake board';
  isOpen = false;
  opens = 0;
  closes = 0;
  down = false;
  inputs: boolean[] = new Array<boolean>(9).fill(false);
  coils: boolean[] = [false];
  registers: number[] = new Array<number>(7).fill(0);
  rejectWrites: ModbusExceptionError | undefined;

  open(): Promise<void> {
    this.opens += 1;
    this.isOpen = true;
    return Promise.resolve();
  }
  close(): Promise<void> {
    this.closes += 1;
    this.isOpen = false;
    return Promise.resolve();
  }
  private answer<T>(value: () => T): Promise<T> {
    if (!this.isOpen) return Promise.reject(new Error('not open'));
    if (this.down) return Promise.reject(new DeviceTimeoutError('no answer'));
    return Promise.resolve(value());
  }
  readCoils(a: number, n: number): Promise<boolean[]> {
    return this.answer(() => this.coils.slice(a, a + n));
  }
  readDiscreteInputs(a: number, n: number): Promise<boolean[]> {
    return this.answer(() => this.inputs.slice(a, a + n));
  }
  readHoldingRegisters(a: number, n: number): Promise<number[]> {
    return this.answer(() => this.registers.slice(a, a + n));
  }
  readInputRegisters(): Promise<number[]> {
    return this.answer(() => [0x0305, 0x0001, 0x0002]);
  }
  writeCoil(a: number, v: boolean): Promise<void> {
    return this.answer(() => this.write(() => (this.coils[a] = v)));
  }
  writeCoils(): Promise<void> {
    return Promise.reject(new Error('unused'));
  }
  writeRegister(a: number, v: number): Promise<void> {
    return this.answer(() => this.write(() => (this.registers[a] = v)));
  }
  writeRegisters(): Promise<void> {
    return Promise.reject(new Error('unused'));
  }
  private write(apply: () => unknown): void {
    if (this.rejectWrites) throw this.rejectWrites;
    apply();
  }
}

const POLL_MS = 100;
const signal = (): AbortSignal => new AbortController().signal;
const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('Modbus I/O board drivers (Auxiliaries and Lights faces)', () => {
  let clock: ManualClock;
  let master: FakeMaster;
  let board: ModbusIoBoardDevices;
  let changes: Partial<AuxiliariesStatus>[];

  /** Moves the clock one poll period and lets the poll's reads settle. */
  const poll = async (): Promise<void> => {
    clock.advance(POLL_MS);
    await flush();
  };

  beforeEach(async () => {
    clock = new ManualClock();
    master = new FakeMaster();
    board = createModbusIoBoard({ auxiliaries: 'enclosure', lights: 'guidanceLights' }, clock, master, {
      pollIntervalMs: POLL_MS,
      missedPollsOffline: 3,
    });
    changes = [];
    board.auxiliaries.on('statusChanged', (c) => changes.push(c));
    expect(await board.auxiliaries.open(signal())).toMatchObject({
      completionCode: 'success',
      payload: { firmware: '3.5', serialNumber: String(0x10002) },
    });
    changes = [];
  });

  it('is offline until opened, then reads every sensor', () => {
    const fresh = createModbusIoBoard({ auxiliaries: 'a', lights: 'l' }, clock, new FakeMaster());
    expect(fresh.auxiliaries.getStatus().device).toBe('offline');
    expect(fresh.lights.getStatus()).toMatchObject({ device: 'offline', lights: {} });
    expect(board.auxiliaries.getStatus()).toMatchObject({ device: 'online', operatorSwitch: 'run', safeDoor: 'closed' });
  });

  it('emits only the changed field, on the next poll and not before', async () => {
    master.inputs[2] = true;
    clock.advance(POLL_MS - 1);
    await flush();
    expect(changes).toEqual([]);
    await poll();
    expect(changes).toEqual([{ safeDoor: 'open' }]);
    await poll();
    expect(changes).toHaveLength(1);
  });

  it('decodes the two operator-switch bits, a broken switch as maintenance', async () => {
    const positions: [boolean, boolean, string][] = [
      [true, false, 'supervisor'],
      [false, true, 'maintenance'],
      [true, true, 'maintenance'],
      [false, false, 'run'],
    ];
    for (const [bit0, bit1, expected] of positions) {
      master.inputs[0] = bit0;
      master.inputs[1] = bit1;
      await poll();
      expect(board.auxiliaries.getStatus().operatorSwitch).toBe(expected);
    }
  });

  it('marks the UPS recovered when mains come back, until the next outage', async () => {
    master.inputs[7] = true;
    await poll();
    expect(board.auxiliaries.getStatus().ups).toEqual({ low: false, engaged: true, powering: true, recovered: false });
    master.inputs[7] = false;
    await poll();
    expect(board.auxiliaries.getStatus().ups).toMatchObject({ powering: false, recovered: true });
    await poll();
    expect(board.auxiliaries.getStatus().ups).toMatchObject({ recovered: true });
    master.inputs[7] = true;
    await poll();
    expect(board.auxiliaries.getStatus().ups).toMatchObject({ powering: true, recovered: false });
  });

  it('goes offline only after the configured number of missed polls, and recovers', async () => {
    master.down = true;
    await poll();
    await poll();
    expect(board.auxiliaries.getStatus().device).toBe('online');
    await poll();
    expect(board.auxiliaries.getStatus().device).toBe('offline');
    expect(board.lights.getStatus().device).toBe('offline');
    expect(changes).toContainEqual(expect.objectContaining({ device: 'offline' }));
    master.down = false;
    await poll();
    expect(board.auxiliaries.getStatus().device).toBe('online');
    expect(board.lights.getStatus().device).toBe('online');
  });

  it('sets lights through their holding registers and reports the result', async () => {
    expect((await board.lights.open(signal())).completionCode).toBe('success');
    expect(master.opens).toBe(1);
    expect(await board.lights.setLight({ light: 'scanner', flashRate: 'medium' }, signal())).toEqual({
      completionCode: 'success',
      payload: undefined,
    });
    expect(master.registers[6]).toBe(2);
    expect(board.lights.getStatus().lights.scanner).toEqual({ flashRate: 'medium' });
    // A light changed on the board itself shows on the next poll.
    master.registers[0] = 4;
    await poll();
    expect(board.lights.getStatus().lights.cardReader).toEqual({ flashRate: 'continuous' });
  });

  it('maps light failures to the Lights error codes', async () => {
    await board.lights.open(signal());
    expect(await board.lights.setLight({ light: 'billAcceptor', flashRate: 'slow' }, signal())).toMatchObject({
      completionCode: 'commandErrorCode',
      errorCode: 'invalidLight',
    });
    master.rejectWrites = new ModbusExceptionError(4, 'server device failure');
    expect(await board.lights.setLight({ light: 'pinPad', flashRate: 'slow' }, signal())).toMatchObject({
      completionCode: 'commandErrorCode',
      errorCode: 'lightError',
    });
    master.rejectWrites = undefined;
    master.down = true;
    expect((await board.lights.setLight({ light: 'pinPad', flashRate: 'slow' }, signal())).completionCode).toBe('timeOut');
  });

  it('sets the audible alarm coil', async () => {
    expect((await board.auxiliaries.setAuxiliaries?.({ audibleAlarm: 'on' }, signal()))?.completionCode).toBe('success');
    expect(master.coils[0]).toBe(true);
    expect(board.auxiliaries.getStatus().audibleAlarm).toBe('on');
  });

  it('keeps the shared line open until the last face closes', async () => {
    await board.lights.open(signal());
    await board.auxiliaries.close();
    expect(master.closes).toBe(0);
    await poll();
    expect(board.lights.getStatus().device).toBe('online');
    await board.lights.close();
    expect(master.closes).toBe(1);
    expect(clock.pending).toBe(0);
  });

  it('fails to open when the board does not answer, and opens later when it does', async () => {
    await board.auxiliaries.close();
    master.down = true;
    const failed = await board.auxiliaries.open(signal());
    expect(failed.completionCode).toBe('timeOut');
    expect(master.closes).toBe(2);
    expect(clock.pending).toBe(0);
    master.down = false;
    expect((await board.auxiliaries.open(signal())).completionCode).toBe('success');
  });
});
