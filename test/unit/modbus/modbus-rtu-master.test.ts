import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../drivers/common/clock.js';
import { CanceledError, DeviceTimeoutError } from '../../../drivers/common/completion.js';
import { createMemoryPipe } from '../../../drivers/common/memory-transport.js';
import { ModbusExceptionError } from '../../../drivers/common/modbus-master.js';
import type { ByteTransport } from '../../../drivers/common/transport.js';
import { ModbusRtuMaster } from '../../../drivers/transports/modbus-rtu-master.js';
import { encodeRtuFrame } from '../../../simulators/io-board-modbus/rtu-frame.js';
import { PUBLISHED_FRAMES } from '../../fixtures/modbus/published-frames.js';

/*
 * The driver side's master (modbus-serial behind our answer framing) against
 * the published frames: what it sends, and how it reads published answers
 * however the line chops them.
 */
const frame = (prefix: string): number[] => {
  const found = PUBLISHED_FRAMES.find((f) => f.name.startsWith(prefix));
  if (!found) throw new Error(`no fixture ${prefix}`);
  return [...found.bytes];
};
const signal = (): AbortSignal => new AbortController().signal;
const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

interface Rig {
  clock: ManualClock;
  master: ModbusRtuMaster;
  device: ByteTransport;
  /** Every request the master wrote. */
  written: number[][];
  /** What the device does with each request. */
  answer: (request: number[]) => number[][];
}

async function rig(unitId: number): Promise<Rig> {
  const pipe = createMemoryPipe('modbus');
  const clock = new ManualClock();
  const r: Rig = {
    clock,
    master: new ModbusRtuMaster(pipe.host, { clock, unitId, responseTimeoutMs: 100 }),
    device: pipe.device,
    written: [],
    answer: () => [],
  };
  await pipe.device.open();
  pipe.device.onData((chunk) => {
    r.written.push([...chunk]);
    for (const piece of r.answer([...chunk])) void pipe.device.write(Uint8Array.from(piece));
  });
  await r.master.open();
  return r;
}

describe('ModbusRtuMaster against published frames', () => {
  let r: Rig;
  beforeEach(async () => {
    r = await rig(0x11);
  });
  afterEach(async () => {
    await r.master.close();
  });

  it('sends the published requests byte for byte', async () => {
    r.answer = (req) => [req[1] === 0x0f ? frame('FC0F response') : frame('FC03 response')];
    await r.master.readHoldingRegisters(0x6b, 3, signal());
    await r.master.writeCoils(0x13, [true, false, true, true, false, false, true, true, true, false], signal());
    // The FC10 answer echoes address and quantity (checked-CRC encoder of the simulator).
    r.answer = (req) => [[...encodeRtuFrame(0x11, req.slice(1, 6))]];
    await r.master.writeRegisters(0x01, [0x000a, 0x0102], signal());
    expect(r.written).toEqual([frame('FC03 request, registers'), frame('FC0F request'), frame('FC10 request')]);
  });

  it('reads the published answers, delivered a byte at a time after line noise', async () => {
    const trickle = (bytes: number[]): number[][] => [[0x00, 0xff, 0x55], ...bytes.map((b) => [b])];
    r.answer = () => trickle(frame('FC03 response'));
    const registers = r.master.readHoldingRegisters(0x6b, 3, signal());
    await flush();
    expect(await registers).toEqual([0xae41, 0x5652, 0x4340]);

    r.answer = () => trickle(frame('FC01 response'));
    const coils = await r.master.readCoils(0x13, 37, signal());
    expect(coils).toHaveLength(37);
    // 0xCD = 1100 1101, LSB first: coils 20..27 = 1,0,1,1,0,0,1,1
    expect(coils.slice(0, 8)).toEqual([true, false, true, true, false, false, true, true]);

    r.answer = () => [frame('FC02 response')];
    const inputs = await r.master.readDiscreteInputs(0xc4, 22, signal());
    expect(inputs).toHaveLength(22);
    // 0x35 = 0011 0101: inputs 213..218 = 1,0,1,0,1,1
    expect(inputs.slice(16)).toEqual([true, false, true, false, true, true]);

    r.answer = () => [frame('FC04 response')];
    expect(await r.master.readInputRegisters(0x08, 1, signal())).toEqual([10]);
  });

  it('turns an exception answer into ModbusExceptionError', async () => {
    r.answer = () => [[...encodeRtuFrame(0x11, [0x83, 0x02])]];
    await expect(r.master.readHoldingRegisters(0x6b, 3, signal())).rejects.toMatchObject({
      name: 'ModbusExceptionError',
      exceptionCode: 2,
    });
  });

  it('drops a corrupted answer, as a slave drops a corrupted request, and times out', async () => {
    const bad = frame('FC03 response');
    bad[4] = (bad[4] ?? 0) ^ 0x10;
    r.answer = () => [bad];
    const pending = r.master.readHoldingRegisters(0x6b, 3, signal()).catch((e: unknown) => e);
    await flush();
    r.clock.advance(100);
    expect(await pending).toBeInstanceOf(DeviceTimeoutError);
  });

  it('finds the answer behind a late answer that straddles the next request', async () => {
    // The 11-byte FC03 answer to an abandoned request arrives after the next FC03
    // request (answer: 13 bytes) went out, then the real, exception, answer.
    r.answer = () => [frame('FC03 response'), [...encodeRtuFrame(0x11, [0x83, 0x02])]];
    await expect(r.master.readHoldingRegisters(0x6b, 4, signal())).rejects.toMatchObject({ exceptionCode: 2 });
  });

  it('times out on the injected clock, then serves the next request', async () => {
    const pending = r.master.readHoldingRegisters(0x6b, 3, signal()).catch((e: unknown) => e);
    await flush();
    r.clock.advance(99);
    await flush();
    r.clock.advance(1);
    expect(await pending).toBeInstanceOf(DeviceTimeoutError);
    r.answer = () => [frame('FC03 response')];
    expect(await r.master.readHoldingRegisters(0x6b, 3, signal())).toEqual([0xae41, 0x5652, 0x4340]);
    expect(r.clock.pending).toBe(0);
  });

  it('drops a late answer to a timed-out request', async () => {
    const late = r.master.readInputRegisters(0x08, 1, signal()).catch((e: unknown) => e);
    await flush();
    r.clock.advance(100);
    expect(await late).toBeInstanceOf(DeviceTimeoutError);
    // The late FC04 answer arrives just before the next request goes out.
    void r.device.write(Uint8Array.from(frame('FC04 response')));
    await flush();
    r.answer = () => [frame('FC03 response')];
    expect(await r.master.readHoldingRegisters(0x6b, 3, signal())).toEqual([0xae41, 0x5652, 0x4340]);
  });

  it('cancels through the AbortSignal', async () => {
    const controller = new AbortController();
    const pending = r.master.readHoldingRegisters(0x6b, 3, controller.signal).catch((e: unknown) => e);
    await flush();
    controller.abort();
    expect(await pending).toBeInstanceOf(CanceledError);
  });
});

it('sends the classic unit-1 request 01 03 00 00 00 0A C5 CD', async () => {
  const r = await rig(1);
  r.answer = () => [[0x01, 0x83, 0x02, 0xc0, 0xf1]];
  await expect(r.master.readHoldingRegisters(0, 10, signal())).rejects.toBeInstanceOf(ModbusExceptionError);
  expect(r.written).toEqual([frame('FC03 request, unit 1')]);
  await r.master.close();
});
