import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../../drivers/common/clock.js';
import { DeviceError, DeviceTimeoutError } from '../../../../../drivers/common/completion.js';
import { createMemoryPipe } from '../../../../../drivers/common/memory-transport.js';
import { CreatorLink } from '../../../../../drivers/card-reader/creator/creator-link.js';
import { STATUS } from '../../../../../drivers/protocols/creator/commands.js';
import { WireReader, type WireEvent } from '../../../../../simulators/card-reader-creator/wire.js';
import { CONTROL, REPLIES } from '../../../../fixtures/creator/frames.js';
import { runOn } from './manual-run.js';

const OPTIONS = { address: 0, ackTimeoutMs: 300, replyTimeoutMs: 1000, retryDelayMs: 100, maxRetries: 3 };

/** A scripted reader on the device end of a pipe; `respond` sees each frame or ENQ in turn. */
async function rig(respond: (event: WireEvent, index: number) => (Uint8Array | number[])[] | undefined) {
  const clock = new ManualClock();
  const pipe = createMemoryPipe('creator');
  await pipe.host.open();
  await pipe.device.open();
  const received: WireEvent[] = [];
  const wire = new WireReader();
  pipe.device.onData((chunk) => {
    for (const event of wire.feed(chunk)) {
      received.push(event);
      for (const part of respond(event, received.length - 1) ?? []) void pipe.device.write(Uint8Array.from(part));
    }
  });
  const link = new CreatorLink(pipe.host, clock, OPTIONS);
  link.start();
  return { clock, link, received };
}

const frames = (events: WireEvent[]): number => events.filter((e) => e.kind === 'frame').length;

describe('Creator link layer', () => {
  it('sends the command, waits for ACK, sends ENQ and returns the reply', async () => {
    const { clock, link, received } = await rig((e) => (e.kind === 'frame' ? [[CONTROL.ack]] : [REPLIES.statusEmpty]));
    const outcome = await runOn(clock, link.exchange(STATUS));
    expect(outcome).toMatchObject({ value: { kind: 'positive', status: { card: 'none' } } });
    expect(received.map((e) => e.kind)).toEqual(['frame', 'enq']);
  });

  it('resends a NAKed frame only after the retry delay', async () => {
    const { clock, link, received } = await rig((e, i) => {
      if (e.kind === 'enq') return [REPLIES.statusCardInside];
      return i === 0 ? [[CONTROL.nak]] : [[CONTROL.ack]];
    });
    const pending = link.exchange(STATUS);
    await tick();
    clock.advance(99);
    await tick();
    expect(frames(received)).toBe(1);
    const outcome = await runOn(clock, pending, 1);
    expect(outcome).toMatchObject({ value: { status: { card: 'inside' } } });
    expect(frames(received)).toBe(2);
  });

  it('gives up with hardwareError after maxRetries NAKs', async () => {
    const { clock, link, received } = await rig(() => [[CONTROL.nak]]);
    const outcome = await runOn(clock, link.exchange(STATUS));
    expect(outcome && 'error' in outcome && outcome.error).toBeInstanceOf(DeviceError);
    expect((outcome as { error: DeviceError }).error.completionCode).toBe('hardwareError');
    expect(frames(received)).toBe(1 + OPTIONS.maxRetries);
  });

  it('times out without an ACK after ackTimeoutMs', async () => {
    const { clock, link } = await rig(() => undefined);
    const started = clock.monotonic();
    const outcome = await runOn(clock, link.exchange(STATUS), 10);
    expect(outcome && 'error' in outcome && outcome.error).toBeInstanceOf(DeviceTimeoutError);
    expect(clock.monotonic() - started).toBeGreaterThanOrEqual(OPTIONS.ackTimeoutMs);
    expect(clock.monotonic() - started).toBeLessThan(OPTIONS.ackTimeoutMs + 20);
  });

  it('times out when the ACKed command never gets its reply', async () => {
    const { clock, link } = await rig((e) => (e.kind === 'frame' ? [[CONTROL.ack]] : undefined));
    const outcome = await runOn(clock, link.exchange(STATUS, 500), 10);
    expect(outcome && 'error' in outcome && outcome.error).toBeInstanceOf(DeviceTimeoutError);
  });

  it('skips garbage and a stray frame start before the reply', async () => {
    const garbage = [0x00, 0xff, 0x7e, 0xf2, 0x00, 0x00, 0x40, 0x31];
    const { clock, link } = await rig((e) => (e.kind === 'frame' ? [[CONTROL.ack]] : [garbage, REPLIES.statusCardAtGate]));
    const outcome = await runOn(clock, link.exchange(STATUS));
    expect(outcome).toMatchObject({ value: { status: { card: 'gate' } } });
  });

  it('asks again with ENQ when the reply arrives damaged', async () => {
    const damaged = REPLIES.statusEmpty.slice();
    damaged[damaged.length - 1] = (damaged.at(-1) ?? 0) ^ 0xff;
    let enqs = 0;
    const { clock, link } = await rig((e) => {
      if (e.kind === 'frame') return [[CONTROL.ack]];
      enqs += 1;
      return [enqs === 1 ? damaged : REPLIES.statusCardInside];
    });
    const outcome = await runOn(clock, link.exchange(STATUS));
    expect(outcome).toMatchObject({ value: { status: { card: 'inside' } } });
    expect(enqs).toBe(2);
  });

  it('ignores a reply to another command (a stale frame)', async () => {
    const { clock, link } = await rig((e) => (e.kind === 'frame' ? [[CONTROL.ack]] : [REPLIES.ejected, REPLIES.statusEmpty]));
    const outcome = await runOn(clock, link.exchange(STATUS));
    expect(outcome).toMatchObject({ value: { cm: 0x31, pm: 0x30 } });
  });
});
