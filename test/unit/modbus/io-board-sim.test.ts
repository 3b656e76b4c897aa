import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../drivers/common/clock.js';
import { createMemoryPipe } from '../../../drivers/common/memory-transport.js';
import type { ByteTransport } from '../../../drivers/common/transport.js';
import { SimulatorControlError } from '../../../simulators/common/simulator.js';
import { ModbusIoBoardSimulator } from '../../../simulators/io-board-modbus/io-board-sim.js';
import { encodeRtuFrame } from '../../../simulators/io-board-modbus/rtu-frame.js';
import { PUBLISHED_FRAMES } from '../../fixtures/modbus/published-frames.js';

const FRAME_GAP_MS = 5;
const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('Modbus I/O board simulator (slave side)', () => {
  let clock: ManualClock;
  let sim: ModbusIoBoardSimulator;
  let host: ByteTransport;
  let answers: number[][];

  /** Sends raw bytes, lets the line fall silent, returns what the board answered. */
  const exchange = async (bytes: readonly number[]): Promise<number[][]> => {
    answers = [];
    await host.write(Uint8Array.from(bytes));
    await flush();
    clock.advance(FRAME_GAP_MS);
    await flush();
    return answers;
  };
  /** A request to unit 1 with a good CRC; returns the answer frame without its CRC. */
  const ask = async (pdu: readonly number[], unit = 1): Promise<number[] | undefined> => {
    const [answer] = await exchange([...encodeRtuFrame(unit, pdu)]);
    return answer?.slice(0, -2);
  };

  beforeEach(async () => {
    clock = new ManualClock();
    sim = new ModbusIoBoardSimulator('ioBoard', { clock, frameGapMs: FRAME_GAP_MS });
    const pipe = createMemoryPipe('ioBoard');
    host = pipe.host;
    await host.open();
    host.onData((chunk) => answers.push([...chunk]));
    await sim.attach(pipe.device);
  });

  it('reads the discrete inputs in the documented bit order', async () => {
    sim.control('operatorSwitch', { position: 'maintenance' });
    sim.control('door', { door: 'safe', open: true });
    sim.control('headphones', { inserted: true });
    sim.control('ups', { onBattery: true, low: true });
    // bit 1 (switch high bit: maintenance = 10), bit 2 safe door, bit 6 headphones, bit 7 on battery; bit 8 battery low
    expect(await ask([0x02, 0x00, 0x00, 0x00, 0x09])).toEqual([0x01, 0x02, 0x02, 0b1100_0110, 0b0000_0001]);
    sim.control('operatorSwitch', { position: 'supervisor' });
    expect(await ask([0x02, 0x00, 0x00, 0x00, 0x02])).toEqual([0x01, 0x02, 0x01, 0b01]);
  });

  it('identifies itself in the input registers', async () => {
    // firmware 1.2; serial 20260042 = 0x0135 0x24CA
    expect(await ask([0x04, 0x00, 0x00, 0x00, 0x03])).toEqual([0x01, 0x04, 0x06, 0x01, 0x02, 0x01, 0x35, 0x24, 0xca]);
  });

  it('answers the classic 01 03 00 00 00 0A C5 CD with the published exception 01 83 02 C0 F1', async () => {
    // Ten holding registers from 0: the board has seven.
    const request = PUBLISHED_FRAMES.find((f) => f.name.startsWith('FC03 request, unit 1'))?.bytes ?? [];
    const exceptionFrame = PUBLISHED_FRAMES.find((f) => f.name.startsWith('exception response, unit 1,'))?.bytes;
    expect(await exchange(request)).toEqual([exceptionFrame]);
  });

  it('answers exceptions for a bad function, address or value', async () => {
    expect(await ask([0x07])).toEqual([0x01, 0x87, 0x01]); // illegal function (read exception status)
    expect(await ask([0x2b, 0x0e, 0x01, 0x00])).toEqual([0x01, 0xab, 0x01]);
    expect(await ask([0x01, 0x00, 0x01, 0x00, 0x01])).toEqual([0x01, 0x81, 0x02]); // coil 1 does not exist
    expect(await ask([0x02, 0x00, 0x00, 0x00, 0x00])).toEqual([0x01, 0x82, 0x03]); // quantity 0
    expect(await ask([0x03, 0x00, 0x00, 0x00, 0x7e])).toEqual([0x01, 0x83, 0x03]); // quantity 126 > 125
    expect(await ask([0x05, 0x00, 0x00, 0x12, 0x34])).toEqual([0x01, 0x85, 0x03]); // coil value neither FF00 nor 0000
    expect(await ask([0x06, 0x00, 0x07, 0x00, 0x01])).toEqual([0x01, 0x86, 0x02]); // register 7 does not exist
    expect(await ask([0x06, 0x00, 0x00, 0x00, 0x05])).toEqual([0x01, 0x86, 0x03]); // flash-rate code 5
    expect(await ask([0x10, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x01])).toEqual([0x01, 0x90, 0x03]); // byte count 2 for 2 registers
    expect(sim.snapshot().lights.cardReader).toBe('off');
  });

  it('writes lights and the alarm coil, single and multiple', async () => {
    expect(await ask([0x06, 0x00, 0x03, 0x00, 0x04])).toEqual([0x01, 0x06, 0x00, 0x03, 0x00, 0x04]);
    expect(await ask([0x10, 0x00, 0x00, 0x00, 0x02, 0x04, 0x00, 0x01, 0x00, 0x03])).toEqual([0x01, 0x10, 0x00, 0x00, 0x00, 0x02]);
    expect(await ask([0x05, 0x00, 0x00, 0xff, 0x00])).toEqual([0x01, 0x05, 0x00, 0x00, 0xff, 0x00]);
    expect(sim.snapshot()).toMatchObject({
      audibleAlarm: true,
      lights: { cardReader: 'slow', pinPad: 'quick', notesDispenser: 'off', receiptPrinter: 'continuous' },
    });
    expect(await ask([0x0f, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00])).toEqual([0x01, 0x0f, 0x00, 0x00, 0x00, 0x01]);
    expect(sim.snapshot().audibleAlarm).toBe(false);
    expect(await ask([0x03, 0x00, 0x00, 0x00, 0x04])).toEqual([0x01, 0x03, 0x08, 0, 1, 0, 3, 0, 0, 0, 4]);
  });

  it('ignores other units, and carries out broadcasts without answering', async () => {
    expect(await ask([0x03, 0x00, 0x00, 0x00, 0x01], 0x11)).toBeUndefined();
    expect(await ask([0x06, 0x00, 0x01, 0x00, 0x02], 0)).toBeUndefined();
    expect(sim.snapshot().lights.pinPad).toBe('medium');
  });

  it('drops a frame with a bad CRC, and a truncated one, without answering', async () => {
    const good = [...encodeRtuFrame(1, [0x03, 0x00, 0x00, 0x00, 0x01])];
    expect(await exchange([...good.slice(0, -1), (good.at(-1) ?? 0) ^ 0xff])).toEqual([]);
    expect(await exchange(good.slice(0, 6))).toEqual([]);
    expect(sim.snapshot().dropped).toBe(2);
    expect(await exchange(good)).toHaveLength(1);
  });

  it('is silent while powered off and comes back with its outputs cleared', async () => {
    await ask([0x06, 0x00, 0x00, 0x00, 0x02]);
    sim.control('power', { on: false });
    expect(await ask([0x03, 0x00, 0x00, 0x00, 0x01])).toBeUndefined();
    sim.control('power', { on: true });
    expect(await ask([0x03, 0x00, 0x00, 0x00, 0x01])).toEqual([0x01, 0x03, 0x02, 0x00, 0x00]);
  });

  it('sends line noise on request', async () => {
    answers = [];
    sim.control('garbage', { bytes: [0xde, 0xad] });
    await flush();
    expect(answers).toEqual([[0xde, 0xad]]);
  });

  it('refuses unknown actions and bad bodies', () => {
    expect(() => sim.control('flood', {})).toThrow(SimulatorControlError);
    expect(() => sim.control('door', { door: 'vault', open: true })).toThrow(SimulatorControlError);
    expect(() => sim.control('operatorSwitch', { position: 'off' })).toThrow(SimulatorControlError);
  });
});
