import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCashAcceptor } from '../../drivers/cash-acceptor/memory.js';
import { EsspRecycler, type EsspSecurity } from '../../drivers/cash-acceptor/essp-recycler/essp-recycler.js';
import { ManualClock, systemClock } from '../../drivers/common/clock.js';
import { createMemoryPipe } from '../../drivers/common/memory-transport.js';
import type { ByteTransport } from '../../drivers/common/transport.js';
import { commands, readU64le } from '../../drivers/protocols/essp/commands.js';
import {
  esspKey,
  modPow,
  packEncrypted,
  unpackEncrypted,
  type BlockCipher,
} from '../../drivers/protocols/essp/encryption.js';
import { encodeFrame, EsspStreamDecoder } from '../../drivers/protocols/essp/frame.js';
import { MemoryStorage } from '../../drivers/storage/memory.js';
import { SerialTransport } from '../../drivers/transports/serial-transport.js';
import { SERIAL_SIMULATORS } from '../../simulators/launcher/catalogue.js';
import { createPtyPair } from '../../simulators/launcher/pty-pair.js';
import { EsspRecyclerSimulator } from '../../simulators/recycler-essp/essp-recycler-sim.js';
import { cashAcceptorContract, classified, type CashAcceptorRig } from '../contract/cash-acceptor.contract.js';

const aes = (key: Uint8Array): BlockCipher => {
  const run = (decrypt: boolean, d: Uint8Array): Uint8Array => {
    const c = decrypt ? createDecipheriv('aes-128-ecb', key, null) : createCipheriv('aes-128-ecb', key, null);
    c.setAutoPadding(false);
    return new Uint8Array(Buffer.concat([c.update(d), c.final()]));
  };
  return { encrypt: (d) => run(false, d), decrypt: (d) => run(true, d) };
};
const security: EsspSecurity = { cipherFor: aes, random: (n) => new Uint8Array(randomBytes(n)) };
const DRIVER_OPTIONS = {
  pollIntervalMs: 20,
  insertIdleMs: 150,
  replyTimeoutMs: 150,
  retries: 2,
  missedPollsOffline: 2,
  recyclers: [
    { currency: 'CNY', value: 5000, capacity: 40 },
    { currency: 'CNY', value: 10000, capacity: 40 },
  ],
};

function rigFor(sim: EsspRecyclerSimulator, host: ByteTransport, cleanup: () => Promise<void>): CashAcceptorRig {
  const acceptor = new EsspRecycler({ id: 'cashAcceptor', clock: systemClock }, host, security, DRIVER_OPTIONS);
  return {
    acceptor,
    faults: ['jam', 'cashboxRemoved', 'stackerFull', 'fraudAttempt', 'noAnswer', 'garbage'],
    insertNotes: (notes) => sim.control('insertNotes', { notes }),
    takeReturnedNotes: () =>
      (sim.control('takeReturnedNotes', {}) as { notes: { serial: string }[] }).notes.map((n) => n.serial),
    fault: (kind) => sim.control('fault', { kind }),
    clear: (kind) => sim.control('clear', { kind }),
    power: (on) => sim.control('power', { on }),
    units: () => acceptor.cashUnits(),
    close: async () => {
      await acceptor.close();
      await cleanup();
    },
  };
}

cashAcceptorContract('in-memory acceptor', async () => {
  const storage = new MemoryStorage({
    clock: new ManualClock(),
    cash: [
      {
        id: 'recycle1',
        position: 'r1',
        configuration: { types: ['recycle'], currency: 'CNY', value: 5000, capacity: 40 },
        notes: Array.from({ length: 10 }, () => ({ currency: 'CNY', value: 5000 })),
      },
      {
        id: 'recycle2',
        position: 'r2',
        configuration: { types: ['recycle'], currency: 'CNY', value: 10000, capacity: 40 },
        notes: Array.from({ length: 10 }, () => ({ currency: 'CNY', value: 10000 })),
      },
      { id: 'cashbox', position: 'cb', configuration: { types: ['cashIn'], capacity: 500 } },
    ],
  });
  await storage.open(new AbortController().signal);
  const acceptor = new MemoryCashAcceptor({
    storage,
    noteTypes: [1000, 2000, 5000, 10000].map((value) => ({ currency: 'CNY', value })),
  });
  return {
    acceptor,
    faults: [],
    insertNotes: (notes) => acceptor.insertItems(notes.map(classified)),
    takeReturnedNotes: () => acceptor.takeItems('outDefault').map((n) => n.serialNumber ?? ''),
    fault: () => undefined,
    clear: () => undefined,
    units: () => storage.cashUnits(),
    close: () => acceptor.close(),
  };
});

cashAcceptorContract('eSSP recycler driver ↔ simulator over an in-memory pipe', async () => {
  const pipe = createMemoryPipe('cashAcceptor');
  const sim = new EsspRecyclerSimulator();
  await sim.attach(pipe.device);
  return rigFor(sim, pipe.host, () => sim.detach());
});

let ptyDir: string;
let ptys = 0;
beforeAll(async () => {
  ptyDir = await mkdtemp(join(tmpdir(), 'kiosk-essp-'));
});
afterAll(async () => {
  await rm(ptyDir, { recursive: true, force: true });
});

cashAcceptorContract('eSSP recycler driver ↔ simulator over a socat pty pair', async () => {
  ptys += 1;
  const pair = await createPtyPair(join(ptyDir, `host${ptys}`), join(ptyDir, `device${ptys}`));
  const sim = new EsspRecyclerSimulator({ stateDir: join(ptyDir, `state${ptys}`) });
  await sim.attach(new SerialTransport({ path: pair.devicePath, baudRate: 9600 }));
  return rigFor(sim, new SerialTransport({ path: pair.hostPath, baudRate: 9600 }), async () => {
    await sim.detach();
    await pair.close();
  });
});

/** A bare host on the simulator: raw frames, its own Diffie–Hellman, no driver. */
async function rawHost() {
  const pipe = createMemoryPipe('raw');
  const sim = new EsspRecyclerSimulator();
  await sim.attach(pipe.device);
  await pipe.host.open();
  const decoder = new EsspStreamDecoder();
  const replies: Uint8Array[] = [];
  pipe.host.onData((chunk) => {
    for (const d of decoder.push(chunk)) if (d.kind === 'frame') replies.push(d.frame.data);
  });
  let seq = true;
  const send = async (data: Uint8Array): Promise<Uint8Array | undefined> => {
    const before = replies.length;
    await pipe.host.write(encodeFrame({ seq, address: 0, data }));
    for (let i = 0; i < 20 && replies.length === before; i++) await new Promise((r) => setTimeout(r, 5));
    if (replies.length === before) return undefined;
    seq = !seq;
    return replies[replies.length - 1];
  };
  return { sim, send, close: () => sim.detach() };
}

describe('eSSP simulator security', () => {
  it('answers only packets under the negotiated key with the expected eCOUNT', async () => {
    const host = await rawHost();
    expect(await host.send(commands.poll())).toEqual(Uint8Array.of(0xfa)); // eSSP only: no key yet
    expect(await host.send(commands.sync())).toEqual(Uint8Array.of(0xf0));
    expect(await host.send(commands.setupRequest())).toEqual(Uint8Array.of(0xfa)); // no key yet
    const g = 982451653n;
    const m = 1287821n;
    const hostRandom = 1234567n;
    expect(await host.send(commands.setGenerator(g))).toEqual(Uint8Array.of(0xf0));
    expect(await host.send(commands.setModulus(m))).toEqual(Uint8Array.of(0xf0));
    expect(await host.send(commands.setModulus(1287822n))).toEqual(Uint8Array.of(0xf4)); // not a prime
    const reply = await host.send(commands.requestKeyExchange(modPow(g, hostRandom, m)));
    const key = esspKey(modPow(readU64le(reply!, 1), hostRandom, m));
    const cipher = aes(key);
    const zeros = (n: number) => new Uint8Array(n);

    const first = await host.send(packEncrypted(cipher, 0, commands.poll(), zeros));
    expect(unpackEncrypted(cipher, first!)).toMatchObject({ ok: true, count: 1 });
    // Replaying eCOUNT 0 under a fresh sequence flag: dropped.
    expect(await host.send(packEncrypted(cipher, 0, commands.poll(), zeros))).toBeUndefined();
    // The right count under a wrong key: dropped.
    expect(await host.send(packEncrypted(aes(esspKey(99n)), 2, commands.poll(), zeros))).toBeUndefined();
    expect((host.sim.snapshot() as { discarded: number }).discarded).toBe(2);
    // A plain command after the exchange is refused.
    expect(await host.send(commands.poll())).toEqual(Uint8Array.of(0xfa));
    const good = await host.send(packEncrypted(cipher, 2, commands.poll(), zeros));
    expect(unpackEncrypted(cipher, good!)).toMatchObject({ ok: true, count: 3 });
    await host.close();
  });
});

describe('eSSP simulator state and launcher entry', () => {
  it('keeps its cassettes across a restart of the simulator process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-essp-state-'));
    const first = new EsspRecyclerSimulator({ stateDir: dir });
    first.control('insertNotes', { notes: [{ denomination: 10000, serial: 'ZZ1', quality: 'fit' }] });
    const second = new EsspRecyclerSimulator({ stateDir: dir });
    expect((second.snapshot() as { feeder: number }).feeder).toBe(1);
    await rm(dir, { recursive: true, force: true });
  });

  it('is in the launcher catalogue as cashAcceptor', () => {
    const entry = SERIAL_SIMULATORS.find((e) => e.name === 'cashAcceptor');
    expect(entry?.create({ runDir: tmpdir() })).toBeInstanceOf(EsspRecyclerSimulator);
  });
});
