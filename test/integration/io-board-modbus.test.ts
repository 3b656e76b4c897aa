import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuxiliariesStatus } from '../../drivers/auxiliaries/contract.js';
import { systemClock } from '../../drivers/common/clock.js';
import { ModbusExceptionError } from '../../drivers/common/modbus-master.js';
import type { LightsStatus } from '../../drivers/lights/contract.js';
import { createModbusIoBoard, type ModbusIoBoardDevices } from '../../drivers/lights/modbus-io/io-board-devices.js';
import { ModbusRtuMaster } from '../../drivers/transports/modbus-rtu-master.js';
import { SerialTransport } from '../../drivers/transports/serial-transport.js';
import { SERIAL_SIMULATORS } from '../../simulators/launcher/catalogue.js';
import type { ModbusIoBoardSimulator } from '../../simulators/io-board-modbus/io-board-sim.js';
import { launchSimulators } from './support/serial-rigs.js';

/*
 * The driver side (modbus-serial behind ModbusRtuMaster) against our own
 * simulator (its own RTU codec) over a real socat pty pair: two independent
 * implementations of the same documents checking each other.
 */
const POLL_MS = 30;
const RESPONSE_TIMEOUT_MS = 250;
const MISSED_POLLS_OFFLINE = 2;
/** A sensor change must show within one poll period plus the poll's own round trips. */
const CHANGE_BOUND_MS = POLL_MS + 3 * RESPONSE_TIMEOUT_MS;
/** Offline after the missed polls, each costing a poll period and up to three timeouts. */
const OFFLINE_BOUND_MS = MISSED_POLLS_OFFLINE * (POLL_MS + 3 * RESPONSE_TIMEOUT_MS) + 500;

const signal = (): AbortSignal => new AbortController().signal;

/** Resolves with the first statusChanged payload that `match` accepts; fails after `ms`. */
function nextChange<S>(
  device: { on(type: 'statusChanged', l: (c: Partial<S>) => void): () => void },
  match: (change: Partial<S>) => boolean,
  ms: number,
): Promise<{ change: Partial<S>; afterMs: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no matching statusChanged within ${ms} ms`));
    }, ms);
    const off = device.on('statusChanged', (change) => {
      if (!match(change)) return;
      clearTimeout(timer);
      off();
      resolve({ change, afterMs: performance.now() - started });
    });
  });
}

describe('Modbus I/O board over a socat pty pair', () => {
  const launched = launchSimulators('kiosk-ioboard-', {
    pcsc: false,
    entries: SERIAL_SIMULATORS.filter((e) => e.name === 'ioBoard'),
  });
  let simulator: ModbusIoBoardSimulator;
  let board: ModbusIoBoardDevices;
  let master: ModbusRtuMaster;

  beforeAll(async () => {
    simulator = launched.sims.simulators.get('ioBoard') as ModbusIoBoardSimulator;
    const path = launched.sims.ports.get('ioBoard');
    if (!path) throw new Error('no ioBoard pty');
    master = new ModbusRtuMaster(new SerialTransport({ path, baudRate: 115200 }), {
      clock: systemClock,
      responseTimeoutMs: RESPONSE_TIMEOUT_MS,
    });
    board = createModbusIoBoard({ auxiliaries: 'enclosure', lights: 'guidanceLights' }, systemClock, master, {
      pollIntervalMs: POLL_MS,
      missedPollsOffline: MISSED_POLLS_OFFLINE,
    });
    const opened = await board.auxiliaries.open(signal());
    expect(opened).toMatchObject({
      completionCode: 'success',
      payload: { firmware: '1.2', serialNumber: '20260042', protocol: 'modbus-rtu' },
    });
    expect((await board.lights.open(signal())).completionCode).toBe('success');
  });

  afterAll(async () => {
    await board.lights.close();
    await board.auxiliaries.close();
  });

  it('reads the enclosure at rest', () => {
    expect(board.auxiliaries.getStatus()).toMatchObject({
      device: 'online',
      operatorSwitch: 'run',
      safeDoor: 'closed',
      cabinetDoor: 'closed',
      vandalShield: 'closed',
      tamperSensor: 'off',
      headphoneJack: 'notInserted',
      ups: { low: false, engaged: true, powering: false, recovered: false },
      audibleAlarm: 'off',
    });
    expect(board.lights.getStatus()).toMatchObject({ device: 'online', lights: { cardReader: { flashRate: 'off' } } });
    expect(board.auxiliaries.companions).toEqual([board.lights]);
  });

  it('reports the safe door opening, and only that, within a poll period', async () => {
    const seen = nextChange<AuxiliariesStatus>(board.auxiliaries, (c) => 'safeDoor' in c, CHANGE_BOUND_MS);
    simulator.control('door', { door: 'safe', open: true });
    const { change } = await seen;
    expect(change).toEqual({ safeDoor: 'open' });
    const closed = nextChange<AuxiliariesStatus>(board.auxiliaries, (c) => 'safeDoor' in c, CHANGE_BOUND_MS);
    simulator.control('door', { door: 'safe', open: false });
    expect((await closed).change).toEqual({ safeDoor: 'closed' });
  });

  it('reports headphones inserted', async () => {
    const seen = nextChange<AuxiliariesStatus>(board.auxiliaries, (c) => 'headphoneJack' in c, CHANGE_BOUND_MS);
    simulator.control('headphones', { inserted: true });
    expect((await seen).change).toEqual({ headphoneJack: 'inserted' });
  });

  it('reports the operator switch turned to supervisor and maintenance', async () => {
    for (const position of ['supervisor', 'maintenance', 'run'] as const) {
      const seen = nextChange<AuxiliariesStatus>(board.auxiliaries, (c) => 'operatorSwitch' in c, CHANGE_BOUND_MS);
      simulator.control('operatorSwitch', { position });
      expect((await seen).change).toEqual({ operatorSwitch: position });
    }
  });

  it('reports the cabinet door, vandal shield, tamper and UPS', async () => {
    const seen = nextChange<AuxiliariesStatus>(board.auxiliaries, (c) => 'ups' in c, CHANGE_BOUND_MS);
    simulator.control('door', { door: 'cabinet', open: true });
    simulator.control('vandalShield', { open: true });
    simulator.control('tamper', { active: true });
    simulator.control('ups', { onBattery: true, low: true });
    await seen;
    expect(board.auxiliaries.getStatus()).toMatchObject({
      cabinetDoor: 'open',
      vandalShield: 'open',
      tamperSensor: 'on',
      ups: { powering: true, low: true, recovered: false },
    });
    const back = nextChange<AuxiliariesStatus>(board.auxiliaries, (c) => 'ups' in c, CHANGE_BOUND_MS);
    simulator.control('ups', { onBattery: false });
    expect((await back).change).toEqual({ ups: { low: false, engaged: true, powering: false, recovered: true } });
    for (const [action, body] of [
      ['door', { door: 'cabinet', open: false }],
      ['vandalShield', { open: false }],
      ['tamper', { active: false }],
    ] as const) {
      simulator.control(action, body);
    }
  });

  it('sets a guidance light, and the board holds its flash rate', async () => {
    const result = await board.lights.setLight({ light: 'cardReader', flashRate: 'quick' }, signal());
    expect(result.completionCode).toBe('success');
    expect(simulator.snapshot().lights.cardReader).toBe('quick');
    expect(board.lights.getStatus().lights.cardReader).toEqual({ flashRate: 'quick' });
    expect((await board.lights.setLight({ light: 'receiptPrinter', flashRate: 'continuous' }, signal())).completionCode).toBe('success');
    expect(simulator.snapshot().lights).toMatchObject({ cardReader: 'quick', receiptPrinter: 'continuous', pinPad: 'off' });
  });

  it('refuses a light the board lacks', async () => {
    const result = await board.lights.setLight({ light: 'billAcceptor', flashRate: 'slow' }, signal());
    expect(result).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'invalidLight' });
  });

  it('switches the audible alarm coil', async () => {
    expect((await board.auxiliaries.setAuxiliaries?.({ audibleAlarm: 'on' }, signal()))?.completionCode).toBe('success');
    expect(simulator.snapshot().audibleAlarm).toBe(true);
    expect((await board.auxiliaries.setAuxiliaries?.({ audibleAlarm: 'off' }, signal()))?.completionCode).toBe('success');
    expect(simulator.snapshot().audibleAlarm).toBe(false);
  });

  it('passes the board’s exception answers through modbus-serial', async () => {
    // Eight holding registers: the board has seven.
    await expect(master.readHoldingRegisters(0, 8, signal())).rejects.toMatchObject({
      name: 'ModbusExceptionError',
      exceptionCode: 0x02,
    });
    // Flash-rate code 9 is not in the map.
    const bad = await master.writeRegister(0, 9, signal()).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ModbusExceptionError);
    expect((bad as ModbusExceptionError).exceptionCode).toBe(0x03);
  });

  it('stays online through line noise', async () => {
    const changes: Partial<LightsStatus>[] = [];
    const off = board.lights.on('statusChanged', (c) => changes.push(c));
    simulator.control('garbage', {});
    await new Promise((r) => setTimeout(r, 4 * POLL_MS));
    off();
    expect(changes).not.toContainEqual(expect.objectContaining({ device: 'offline' }));
    expect(board.auxiliaries.getStatus().device).toBe('online');
  });

  it('goes offline when the board loses power, within a bound, and recovers', async () => {
    const auxDown = nextChange<AuxiliariesStatus>(board.auxiliaries, (c) => c.device === 'offline', OFFLINE_BOUND_MS);
    const lightsDown = nextChange<LightsStatus>(board.lights, (c) => c.device === 'offline', OFFLINE_BOUND_MS);
    simulator.control('power', { on: false });
    await Promise.all([auxDown, lightsDown]);
    expect((await board.lights.setLight({ light: 'pinPad', flashRate: 'slow' }, signal())).completionCode).toBe('deviceNotReady');

    // Back within a poll that may still be waiting out a timeout, plus the next one.
    const auxUp = nextChange<AuxiliariesStatus>(board.auxiliaries, (c) => c.device === 'online', 2 * CHANGE_BOUND_MS);
    const lightsUp = nextChange<LightsStatus>(board.lights, (c) => c.device === 'online', 2 * CHANGE_BOUND_MS);
    simulator.control('power', { on: true });
    await Promise.all([auxUp, lightsUp]);
    // A board that restarted has dropped its outputs; the poll shows it.
    expect(board.lights.getStatus().lights.cardReader).toEqual({ flashRate: 'off' });
    expect(board.auxiliaries.getStatus().headphoneJack).toBe('inserted');
  });

  it('answers the developer API', async () => {
    const res = await fetch(`${launched.sims.controlUrl}/sim/ioBoard/door`, {
      method: 'POST',
      body: JSON.stringify({ door: 'safe', open: true }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ inputs: { safeDoorOpen: true } });
    const bad = await fetch(`${launched.sims.controlUrl}/sim/ioBoard/door`, {
      method: 'POST',
      body: JSON.stringify({ door: 'vault', open: true }),
    });
    expect(bad.status).toBe(400);
    simulator.control('door', { door: 'safe', open: false });
  });
});
