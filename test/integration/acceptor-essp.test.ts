import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryCashAcceptor } from '../../drivers/cash-acceptor/memory.js';
import { EsspRecycler } from '../../drivers/cash-acceptor/essp-recycler/essp-recycler.js';
import { ManualClock, systemClock } from '../../drivers/common/clock.js';
import { createMemoryPipe } from '../../drivers/common/memory-transport.js';
import { commands, readU64le } from '../../drivers/protocols/essp/commands.js';
import { esspKey, modPow, packEncrypted, unpackEncrypted } from '../../drivers/protocols/essp/encryption.js';
import { encodeFrame, EsspStreamDecoder } from '../../drivers/protocols/essp/frame.js';
import { MemoryStorage } from '../../drivers/storage/memory.js';
import { aes128, esspSecurity } from '../../main/runtime/essp-security.js';
import { SERIAL_SIMULATORS } from '../../simulators/launcher/catalogue.js';
import { EsspRecyclerSimulator } from '../../simulators/recycler-essp/essp-recycler-sim.js';
import { cashAcceptorContract, classified } from '../contract/cash-acceptor.contract.js';
import { simulatedAcceptorContract } from './support/acceptor-rig.js';

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

simulatedAcceptorContract({
  label: 'eSSP recycler driver ↔ simulator',
  pipeName: 'cashAcceptor',
  simulator: (options) => new EsspRecyclerSimulator(options),
  driver: (host) => new EsspRecycler({ id: 'cashAcceptor', clock: systemClock }, host, esspSecurity, DRIVER_OPTIONS),
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
    const cipher = aes128(key);
    const zeros = (n: number) => new Uint8Array(n);

    const first = await host.send(packEncrypted(cipher, 0, commands.poll(), zeros));
    expect(unpackEncrypted(cipher, first!)).toMatchObject({ ok: true, count: 1 });
    // Replaying eCOUNT 0 under a fresh sequence flag: dropped.
    expect(await host.send(packEncrypted(cipher, 0, commands.poll(), zeros))).toBeUndefined();
    // The right count under a wrong key: dropped.
    expect(await host.send(packEncrypted(aes128(esspKey(99n)), 2, commands.poll(), zeros))).toBeUndefined();
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

  it('clears its escrow into the bezel when the process starts again (a power cut), where the notes stay', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-essp-state-'));
    const first = new EsspRecyclerSimulator({ stateDir: dir });
    first.path.state.escrow.push({ denomination: 10000, currency: 'CNY', serial: 'ES1', quality: 'fit' });
    first.path.persist();
    const second = new EsspRecyclerSimulator({ stateDir: dir });
    expect(second.snapshot()).toMatchObject({ escrow: [], bezel: [{ serial: 'ES1' }] });
    const third = new EsspRecyclerSimulator({ stateDir: dir });
    expect(third.snapshot()).toMatchObject({ escrow: [], bezel: [{ serial: 'ES1' }] });
    await rm(dir, { recursive: true, force: true });
  });

  it('is in the launcher catalogue as cashAcceptor', () => {
    const entry = SERIAL_SIMULATORS.find((e) => e.name === 'cashAcceptor');
    expect(entry?.create({ runDir: tmpdir() })).toBeInstanceOf(EsspRecyclerSimulator);
  });
});
