/**
 * Serial command round trip against the wire time of its bytes. Target: ratio ≤ 1.15.
 *
 * The command is the card reader's `C 1 0` status poll, the one the runtime sends most, over the
 * Creator link as the driver runs it (command frame → ACK → ENQ → reply frame, reply parsed):
 * the driver's CreatorLink on a SerialTransport at one end of a socat pty pair, the Creator
 * simulator on a SerialTransport at the other.
 *
 * A pty ignores the baud rate and delivers at once, so what a round trip takes here is nothing but
 * software: our transport and link, the simulator, socat's relay and the kernel. On a real port the
 * round trip is the wire time of its bytes plus that same software time, so
 *   ratio = (wire time + measured overhead) / wire time,
 * and the target allows our overhead 15 % of the wire time. The ratio uses the p99 overhead; the
 * simulator's and socat's share (absent on real hardware) makes it an upper bound on ours.
 * The round trips run in rounds and the p99 is the median of the rounds' p99s: on a shared 2-core
 * machine another process's burst stalls a whole round, and one such round must not decide.
 * Run alone: `npx tsx test/bench/serial-rtt.bench.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreatorLink } from '../../drivers/card-reader/creator/creator-link.js';
import { systemClock } from '../../drivers/common/clock.js';
import type { ByteTransport } from '../../drivers/common/transport.js';
import { STATUS, encodeCommand } from '../../drivers/protocols/creator/commands.js';
import { SerialTransport } from '../../drivers/transports/serial-transport.js';
import { CreatorCardReaderSimulator } from '../../simulators/card-reader-creator/creator-card-reader-sim.js';
import { createPtyPair } from '../../simulators/launcher/pty-pair.js';
import { median, quantile } from './support/stats.js';

/** The Creator readers' RS-232 default. */
const BAUD = 9600;
/** 8N1: start bit, eight data bits, stop bit. */
const BITS_PER_BYTE = 10;
const WARM_UP = 200;
const ROUNDS = 10;
const PER_ROUND = 200;

export interface SerialRttResult {
  readonly ratio: number;
  readonly wireMs: number;
  /** What the round trip would take on a real line: wire time plus the p99 overhead. */
  readonly rttMs: number;
  readonly baudRate: number;
  readonly bytesPerRoundTrip: number;
  readonly overheadP50Ms: number;
  readonly overheadP99Ms: number;
  /** p99 of all round trips pooled, bursts of machine load included. */
  readonly pooledP99Ms: number;
  /** The same hops and byte counts over bare transports with no protocol: what the pty, socat and serialport cost. */
  readonly floorP50Ms: number;
  readonly floorP99Ms: number;
}

/** Counts the bytes the driver side sends and receives, so the wire time is of what really crossed. */
function counting(inner: ByteTransport): ByteTransport & { bytes: number } {
  const counter = {
    kind: inner.kind,
    description: inner.description,
    bytes: 0,
    get isOpen() {
      return inner.isOpen;
    },
    open: (signal?: AbortSignal) => inner.open(signal),
    close: () => inner.close(),
    onClose: (listener: (reason?: Error) => void) => inner.onClose(listener),
    write(bytes: Uint8Array) {
      counter.bytes += bytes.length;
      return inner.write(bytes);
    },
    onData(listener: (chunk: Uint8Array) => void) {
      return inner.onData((chunk) => {
        counter.bytes += chunk.length;
        listener(chunk);
      });
    },
  };
  return counter;
}

interface Rig {
  /** One command/response round trip. */
  exchange(): Promise<void>;
  close(): Promise<void>;
}

const serial = (path: string): SerialTransport => new SerialTransport({ path, baudRate: BAUD });

/** The driver's link polling the simulator. */
async function creatorRig(dir: string): Promise<Rig & { host: ReturnType<typeof counting> }> {
  const pair = await createPtyPair(join(dir, 'host'), join(dir, 'device'));
  const sim = new CreatorCardReaderSimulator();
  const host = counting(serial(pair.hostPath));
  const link = new CreatorLink(host, systemClock, {
    address: 0,
    ackTimeoutMs: 300,
    replyTimeoutMs: 1000,
    retryDelayMs: 100,
    maxRetries: 3,
  });
  await sim.attach(serial(pair.devicePath));
  await host.open();
  link.start();
  const first = await link.exchange(STATUS);
  if (first.kind !== 'positive') throw new Error(`status poll answered ${JSON.stringify(first)}`);
  return {
    host,
    exchange: async () => {
      await link.exchange(STATUS);
    },
    close: async () => {
      link.stop();
      await host.close();
      await sim.detach();
      await pair.close();
    },
  };
}

/**
 * The floor: the same hops with the same byte counts (command frame → 1 byte, 1 byte → reply) over
 * bare SerialTransports and no protocol, so the report can tell the pty/socat/serialport cost from ours.
 */
async function floorRig(dir: string, commandBytes: number, replyBytes: number): Promise<Rig> {
  const pair = await createPtyPair(join(dir, 'floor-host'), join(dir, 'floor-device'));
  const host = serial(pair.hostPath);
  const device = serial(pair.devicePath);
  await Promise.all([host.open(), device.open()]);
  let deviceGot = 0;
  device.onData((chunk) => {
    deviceGot += chunk.length;
    if (deviceGot === commandBytes) void device.write(new Uint8Array(1));
    else if (deviceGot === commandBytes + 1) {
      deviceGot = 0;
      void device.write(new Uint8Array(replyBytes));
    }
  });
  let hostGot = 0;
  let wanted = 0;
  let wake: (() => void) | undefined;
  host.onData((chunk) => {
    hostGot += chunk.length;
    if (hostGot >= wanted) wake?.();
  });
  const send = (bytes: number, expect: number): Promise<void> => {
    hostGot = 0;
    wanted = expect;
    const arrived = new Promise<void>((resolve) => (wake = resolve));
    return Promise.all([host.write(new Uint8Array(bytes)), arrived]).then(() => undefined);
  };
  return {
    exchange: async () => {
      await send(commandBytes, 1);
      await send(1, replyBytes);
    },
    close: async () => {
      await Promise.all([host.close(), device.close()]);
      await pair.close();
    },
  };
}

/** Durations of `count` round trips. */
async function timeRound(rig: Rig, count: number): Promise<number[]> {
  const durations: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = systemClock.monotonic();
    await rig.exchange();
    durations.push(systemClock.monotonic() - t);
  }
  return durations;
}

export async function benchSerialRtt(): Promise<SerialRttResult> {
  const dir = mkdtempSync(join(tmpdir(), 'serial-rtt-bench-'));
  const rigs: Rig[] = [];
  try {
    const creator = await creatorRig(dir);
    rigs.push(creator);
    const commandBytes = encodeCommand(0, STATUS).length;
    const replyBytes = creator.host.bytes - commandBytes - 2; // less the ACK and the ENQ
    const floor = await floorRig(dir, commandBytes, replyBytes);
    rigs.push(floor);
    await timeRound(creator, WARM_UP);
    await timeRound(floor, WARM_UP);

    creator.host.bytes = 0;
    const all: number[] = [];
    const p50: number[] = [];
    const p99: number[] = [];
    const floorP50: number[] = [];
    const floorP99: number[] = [];
    // Interleaved, so load drift hits ours and the floor alike.
    for (let round = 0; round < ROUNDS; round++) {
      const ours = await timeRound(creator, PER_ROUND);
      p50.push(quantile(ours, 0.5));
      p99.push(quantile(ours, 0.99));
      all.push(...ours);
      const bare = await timeRound(floor, PER_ROUND);
      floorP50.push(quantile(bare, 0.5));
      floorP99.push(quantile(bare, 0.99));
    }
    const bytesPerRoundTrip = creator.host.bytes / (ROUNDS * PER_ROUND);
    if (bytesPerRoundTrip !== commandBytes + 2 + replyBytes)
      throw new Error(`${bytesPerRoundTrip} bytes a round trip, expected ${commandBytes + 2 + replyBytes}`);
    const wireMs = (bytesPerRoundTrip * BITS_PER_BYTE * 1000) / BAUD;
    const overheadP99Ms = median(p99);
    return {
      ratio: (wireMs + overheadP99Ms) / wireMs,
      wireMs,
      rttMs: wireMs + overheadP99Ms,
      baudRate: BAUD,
      bytesPerRoundTrip,
      overheadP50Ms: median(p50),
      overheadP99Ms,
      pooledP99Ms: quantile(all, 0.99),
      floorP50Ms: median(floorP50),
      floorP99Ms: median(floorP99),
    };
  } finally {
    for (const rig of rigs.reverse()) await rig.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await benchSerialRtt();
  process.stdout.write(
    `status poll at ${r.baudRate} Bd: ${r.bytesPerRoundTrip} bytes, wire ${r.wireMs.toFixed(2)} ms, ` +
      `overhead p50 ${r.overheadP50Ms.toFixed(3)} ms p99 ${r.overheadP99Ms.toFixed(3)} ms (pooled ${r.pooledP99Ms.toFixed(3)} ms), ` +
      `floor p50 ${r.floorP50Ms.toFixed(3)} ms p99 ${r.floorP99Ms.toFixed(3)} ms, ` +
      `ratio ${r.ratio.toFixed(3)} (target ≤ 1.15), load ${loadavg()[0]!.toFixed(1)}\n`,
  );
}
