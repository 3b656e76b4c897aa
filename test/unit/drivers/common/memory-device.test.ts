import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../drivers/common/clock.js';
import { DeviceError } from '../../../../drivers/common/completion.js';
import type { CommonDeviceEvents } from '../../../../drivers/common/device.js';
import { MemoryDevice, PendingWait } from '../../../../drivers/common/memory-device.js';
import type { CommonStatus } from '../../../../drivers/common/status.js';

interface ProbeStatus extends CommonStatus {
  readonly level: number;
}

/** A minimal device: `hold` waits for `release`, `bump` changes the status. */
class Probe extends MemoryDevice<ProbeStatus, CommonDeviceEvents<ProbeStatus>, 'probeError', 'hold' | 'bump'> {
  readonly deviceClass = 'lights' as const;
  readonly order: string[] = [];
  private readonly gate = this.createWait<string>();

  constructor(clock = new ManualClock()) {
    super({ id: 'probe', clock, information: { modelName: 'P1' } }, { device: 'online', devicePosition: 'inPosition', level: 0 });
  }

  hold = (_: void, signal: AbortSignal) =>
    this.command('hold', signal, async () => {
      this.order.push('hold:start');
      const value = await this.gate.wait(signal);
      this.order.push('hold:end');
      return value;
    });

  bump = (_: void, signal: AbortSignal) =>
    this.command('bump', signal, () => {
      this.order.push('bump');
      this.patchStatus({ level: this.getStatus().level + 1 });
    });

  release(value: string): boolean {
    return this.gate.settle(value);
  }
}

const signal = new AbortController().signal;
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('MemoryDevice', () => {
  it('is offline until opened and reports its information', async () => {
    const probe = new Probe();
    expect(probe.getStatus().device).toBe('offline');
    expect(await probe.open(signal)).toMatchObject({
      completionCode: 'success',
      payload: { modelName: 'P1', protocol: 'memory', serialNumber: 'probe' },
    });
    expect(probe.getStatus().device).toBe('online');
  });

  it('runs commands one at a time', async () => {
    const probe = new Probe();
    await probe.open(signal);
    const held = probe.hold(undefined, signal);
    const bumped = probe.bump(undefined, signal);
    await tick();
    expect(probe.order).toEqual(['hold:start']);
    expect(probe.release('done')).toBe(true);
    expect(await held).toEqual({ completionCode: 'success', payload: 'done' });
    await bumped;
    expect(probe.order).toEqual(['hold:start', 'hold:end', 'bump']);
  });

  it('drops a queued command whose signal aborts before it starts', async () => {
    const probe = new Probe();
    await probe.open(signal);
    const held = probe.hold(undefined, signal);
    const controller = new AbortController();
    const bumped = probe.bump(undefined, controller.signal);
    controller.abort();
    await tick();
    expect(probe.release('x')).toBe(true);
    await held;
    expect((await bumped).completionCode).toBe('canceled');
    expect(probe.getStatus().level).toBe(0);
  });

  it('fails injected faults once each, in order', async () => {
    const probe = new Probe();
    probe.injectFault('open', { completionCode: 'timeOut' });
    expect((await probe.open(signal)).completionCode).toBe('timeOut');
    await probe.open(signal);
    probe.injectFault('bump', { errorCode: 'probeError' });
    probe.injectFault('bump', {});
    expect(await probe.bump(undefined, signal)).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'probeError' });
    expect(await probe.bump(undefined, signal)).toMatchObject({ completionCode: 'hardwareError' });
    expect((await probe.bump(undefined, signal)).completionCode).toBe('success');
    expect(probe.getStatus().level).toBe(1);
  });

  it('gates commands on the device state', async () => {
    const probe = new Probe();
    await probe.open(signal);
    probe.setDeviceState('powerOff');
    expect((await probe.bump(undefined, signal)).completionCode).toBe('deviceNotReady');
    probe.setDeviceState('potentialFraud');
    expect((await probe.bump(undefined, signal)).completionCode).toBe('success');
  });

  it('ends waits on close and reports offline', async () => {
    const probe = new Probe();
    await probe.open(signal);
    const changes: unknown[] = [];
    probe.on('statusChanged', (c) => changes.push(c));
    const held = probe.hold(undefined, signal);
    await tick();
    await probe.close();
    expect((await held).completionCode).toBe('deviceNotReady');
    expect(changes).toEqual([{ device: 'offline' }]);
    expect((await probe.bump(undefined, signal)).completionCode).toBe('deviceNotReady');
  });
});

describe('PendingWait', () => {
  it('times out on the injected clock, each arm replacing the last timer', async () => {
    const clock = new ManualClock();
    const wait = new PendingWait<number>(clock);
    const result = wait.wait(signal);
    wait.arm(100, () => new DeviceError('timeOut', 'late'));
    clock.advance(99);
    wait.arm(100, () => new DeviceError('timeOut', 'late'));
    clock.advance(99);
    expect(wait.active).toBe(true);
    clock.advance(1);
    await expect(result).rejects.toMatchObject({ completionCode: 'timeOut' });
    expect(wait.active).toBe(false);
    expect(clock.pending).toBe(0);
  });

  it('clears its timer when settled and refuses a second concurrent wait', async () => {
    const clock = new ManualClock();
    const wait = new PendingWait<number>(clock);
    const result = wait.wait(signal);
    wait.arm(100, () => new Error('late'));
    await expect(wait.wait(signal)).rejects.toMatchObject({ completionCode: 'sequenceError' });
    expect(wait.settle(7)).toBe(true);
    expect(await result).toBe(7);
    expect(clock.pending).toBe(0);
    expect(wait.settle(8)).toBe(false);
  });
});
