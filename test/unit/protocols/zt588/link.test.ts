import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../drivers/common/clock.js';
import { DeviceTimeoutError } from '../../../../drivers/common/completion.js';
import { createMemoryPipe } from '../../../../drivers/common/memory-transport.js';
import { Zt588Link } from '../../../../drivers/pin-pad/zt588/zt588-link.js';
import { readUserInfo } from '../../../../drivers/protocols/zt588/commands.js';
import { textOf } from '../../../../drivers/protocols/zt588/frame.js';
import { COMMANDS, REPLIES } from '../../../fixtures/zt588/frames.js';

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

/** A scripted EPP: counts the frames it gets and answers with `answer(n)` (undefined = silence). */
async function rig(answer: (attempt: number) => Uint8Array | undefined) {
  const clock = new ManualClock();
  const pipe = createMemoryPipe('zt588');
  await pipe.host.open();
  await pipe.device.open();
  const received: number[][] = [];
  pipe.device.onData((chunk) => {
    received.push([...chunk]);
    const reply = answer(received.length);
    if (reply) void pipe.device.write(reply);
  });
  const keys: number[] = [];
  const link = new Zt588Link(pipe.host, clock, { answerTimeoutMs: 1000, retries: 4 }, (b) => keys.push(b));
  link.start();
  return { clock, pipe, received, keys, link };
}

describe('ZT588 link', () => {
  it('sends the frame and resolves with the answer text', async () => {
    const { link, received } = await rig(() => REPLIES.checkValue);
    const text = await link.exchange(readUserInfo());
    expect(received).toEqual([[...COMMANDS.readUserInfo]]);
    expect(textOf(text)).toBe('10123ABCD');
  });

  it('resends after the answer timeout and takes the late answer', async () => {
    const { link, received, clock } = await rig((n) => (n === 3 ? REPLIES.checkValue : undefined));
    const result = link.exchange(readUserInfo());
    await flush();
    expect(received).toHaveLength(1);
    clock.advance(999);
    await flush();
    expect(received).toHaveLength(1);
    clock.advance(1);
    await flush();
    expect(received).toHaveLength(2);
    clock.advance(1000);
    await flush();
    expect(textOf(await result)).toBe('10123ABCD');
    expect(received).toHaveLength(3);
  });

  it('gives up with DeviceTimeoutError after 1 + retries attempts', async () => {
    const { link, received, clock } = await rig(() => undefined);
    const result = link.exchange(readUserInfo()).catch((err: unknown) => err);
    for (let i = 0; i < 5; i++) {
      await flush();
      clock.advance(1000);
    }
    expect(await result).toBeInstanceOf(DeviceTimeoutError);
    expect(received).toHaveLength(5);
  });

  it('resends at once when the answer is damaged', async () => {
    const damaged = REPLIES.checkValue.slice();
    damaged[damaged.length - 1] = (damaged[damaged.length - 1] as number) ^ 0x01;
    const { link, received } = await rig((n) => (n === 1 ? damaged : REPLIES.checkValue));
    expect(textOf(await link.exchange(readUserInfo()))).toBe('10123ABCD');
    expect(received).toHaveLength(2);
  });

  it('passes key bytes around and between frames to the key listener', async () => {
    const { link, keys } = await rig(() => Uint8Array.from([0x2a, ...REPLIES.checkValue, 0x0d]));
    await link.exchange(readUserInfo());
    await flush();
    expect(keys).toEqual([0x2a, 0x0d]);
  });
});
