import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SerialTransport } from '../../drivers/transports/serial-transport.js';
import { createPtyPair, type PtyPair } from '../../simulators/launcher/pty-pair.js';
import { until } from './host-support.js';

/*
 * SerialTransport over a socat pty pair, for what its event-loop binding
 * (serial-binding.ts) does differently from serialport's own: reads and
 * writes on a non-blocking descriptor in the loop, waiting on the poller
 * when the descriptor is not ready.
 */
let dir: string;
let pair: PtyPair;
let a: SerialTransport;
let b: SerialTransport;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'serial-transport-'));
  pair = await createPtyPair(join(dir, 'a'), join(dir, 'b'));
  a = new SerialTransport({ path: pair.hostPath, baudRate: 115200 });
  b = new SerialTransport({ path: pair.devicePath, baudRate: 115200 });
  await Promise.all([a.open(), b.open()]);
});

afterEach(async () => {
  await Promise.all([a.close(), b.close()]);
  await pair.close();
  await rm(dir, { recursive: true, force: true });
});

function collect(t: SerialTransport): () => Buffer {
  const chunks: Uint8Array[] = [];
  t.onData((c) => chunks.push(c));
  return () => Buffer.concat(chunks);
}

describe('SerialTransport on a pty', () => {
  it('carries bytes both ways, in order', async () => {
    const atB = collect(b);
    const atA = collect(a);
    await a.write(Uint8Array.of(0x02, 0x41, 0x03));
    await b.write(Uint8Array.of(0x06));
    await until(() => atB().length === 3 && atA().length === 1);
    expect([...atB()]).toEqual([0x02, 0x41, 0x03]);
    expect([...atA()]).toEqual([0x06]);
  });

  it('writes more than the pty holds: waits for room instead of failing or blocking', async () => {
    const big = Buffer.alloc(256 * 1024, 0);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff;
    const atB = collect(b);
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 1);
    try {
      await a.write(big);
      await until(() => atB().length === big.length, 15_000);
    } finally {
      clearInterval(timer);
    }
    expect(atB().equals(big)).toBe(true);
    // The loop kept turning while the pty was full.
    expect(ticks).toBeGreaterThan(0);
  }, 20_000);

  it('keeps the event loop free while nothing arrives, and closes with a read pending without a disconnect', async () => {
    const closed: (Error | undefined)[] = [];
    a.onClose((reason) => closed.push(reason));
    const fired = await new Promise((resolve) => setTimeout(() => resolve(true), 20));
    expect(fired).toBe(true);
    await a.close();
    expect(closed).toEqual([undefined]);
  });
});
