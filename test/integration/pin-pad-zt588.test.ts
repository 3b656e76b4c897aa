import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../drivers/common/clock.js';
import { createMemoryPipe } from '../../drivers/common/memory-transport.js';
import type { ByteTransport } from '../../drivers/common/transport.js';
import { Zt588PinPad, type Zt588PinPadOptions } from '../../drivers/pin-pad/zt588/zt588-pin-pad.js';
import { SerialTransport } from '../../drivers/transports/serial-transport.js';
import { startSimulators, type RunningSimulators } from '../../simulators/launcher/simulator-set.js';
import { Zt588PinPadSimulator } from '../../simulators/pin-pad-zt588/zt588-pin-pad-sim.js';
import { pinPadContract, type PinPadRig } from '../contract/pin-pad.contract.js';
import { ISO9797_B4, retailMacByNode } from '../contract/reference-mac.js';

const DRIVER_OPTIONS: Zt588PinPadOptions = {
  pollIntervalMs: 100,
  answerTimeoutMs: 250,
  retries: 2,
  missedPollsOffline: 2,
  keySlots: { TMK: 0x00, PIK: 0x40, MAK: 0x41, DSK: 0x43, TMK_AES: 0x08, PIK_AES: 0x48 },
};

/** A rig around one simulator that can be replaced by a fresh one on the same state folder. */
function rigFor(
  pad: Zt588PinPad,
  first: Zt588PinPadSimulator,
  reattach: () => Promise<Zt588PinPadSimulator>,
  dispose: () => Promise<void>,
): PinPadRig {
  let simulator = first;
  return {
    pad,
    press: (key) => {
      simulator.control('pressKey', { key });
    },
    power: (on) => {
      simulator.control('power', { on });
    },
    restart: async () => {
      await simulator.detach();
      simulator = await reattach();
    },
    dispose: async () => {
      await simulator.detach();
      await dispose();
    },
  };
}

pinPadContract('an in-memory pipe', async () => {
  const stateDir = await mkdtemp(join(tmpdir(), 'zt588-mem-'));
  const pipe = createMemoryPipe('pinPad');
  const make = async (): Promise<Zt588PinPadSimulator> => {
    const sim = new Zt588PinPadSimulator({ stateDir });
    await sim.attach(pipe.device);
    return sim;
  };
  const pad = new Zt588PinPad({ id: 'pinPad', clock: systemClock }, pipe.host, DRIVER_OPTIONS);
  return rigFor(pad, await make(), make, () => rm(stateDir, { recursive: true, force: true }));
});

describe('over a socat pty pair', () => {
  let dir: string;
  let sims: RunningSimulators;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiosk-pty-'));
    sims = await startSimulators({ runDir: dir, pcsc: false });
  });
  afterAll(async () => {
    await sims.stop();
    await rm(dir, { recursive: true, force: true });
  });

  pinPadContract('a real pty', () => {
    const path = sims.ports.get('pinPad');
    if (!path) throw new Error('no PIN pad pty');
    const transport: ByteTransport = new SerialTransport({ path, baudRate: 9600 });
    const pad = new Zt588PinPad({ id: 'pinPad', clock: systemClock }, transport, DRIVER_OPTIONS);
    const make = async (): Promise<Zt588PinPadSimulator> => {
      const sim = new Zt588PinPadSimulator({ stateDir: join(dir, 'state', 'pinPad') });
      await sim.attach(new SerialTransport({ path: `${path}.device`, baudRate: 9600 }));
      return sim;
    };
    const first = sims.simulators.get('pinPad') as Zt588PinPadSimulator;
    return Promise.resolve(rigFor(pad, first, make, () => Promise.resolve()));
  });

  it('answers the developer API without revealing the PIN', async () => {
    const res = await fetch(`${sims.controlUrl}/sim/pinPad/typePin`, {
      method: 'POST',
      body: JSON.stringify({ digits: '1234' }),
    });
    expect(res.status).toBe(200);
    const body = JSON.stringify(await res.json());
    expect(body).not.toMatch(/1234/);
    const bad = await fetch(`${sims.controlUrl}/sim/pinPad/pressKey`, {
      method: 'POST',
      body: JSON.stringify({ key: 'eleven' }),
    });
    expect(bad.status).toBe(400);
  });
});

describe('ZT588 specifics over an in-memory pipe', () => {
  let stateDir: string;
  let sim: Zt588PinPadSimulator;
  let pad: Zt588PinPad;
  const signal = (): AbortSignal => new AbortController().signal;
  const until = async (condition: () => boolean): Promise<void> => {
    for (let i = 0; condition() === false; i++) {
      if (i > 300) throw new Error('condition not met');
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const REQUEST = {
    minLen: 4,
    maxLen: 12,
    autoEnd: false,
    activeKeys: ['one', 'two', 'three', 'four'] as const,
    terminateKeys: ['enter', 'cancel'] as const,
  };

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'zt588-extra-'));
    const pipe = createMemoryPipe('pinPad');
    sim = new Zt588PinPadSimulator({ stateDir });
    await sim.attach(pipe.device);
    pad = new Zt588PinPad({ id: 'pinPad', clock: systemClock }, pipe.host, DRIVER_OPTIONS);
    expect((await pad.open(signal())).completionCode).toBe('success');
  });
  afterAll(async () => {
    await pad.close();
    await sim.detach();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('keeps its digit count through line noise and clear digits during PIN entry', async () => {
    const keys: unknown[] = [];
    const off = pad.on('keyPressed', (e) => keys.push(e));
    const entry = pad.pinEntry({ ...REQUEST, activeKeys: [...REQUEST.activeKeys], terminateKeys: [...REQUEST.terminateKeys] }, signal());
    await until(() => pad.getStatus().entry === 'pin');
    sim.control('pressKey', { key: '1' });
    // 0x31 is a clear '1': never a PIN-mode report. 0xFF and 0x55 are noise.
    sim.control('fault', { noise: [0xff, 0x31, 0x55] });
    for (const key of ['2', '3', '4', 'enter']) sim.control('pressKey', { key });
    expect(await entry).toMatchObject({ payload: { digits: 4, completion: 'enter' } });
    off();
    expect(keys).toHaveLength(5);
  });

  it('takes the 0x80 report as the EPP ending the entry at its time limit', async () => {
    const entry = pad.pinEntry({ ...REQUEST, activeKeys: [...REQUEST.activeKeys], terminateKeys: [...REQUEST.terminateKeys] }, signal());
    await until(() => pad.getStatus().entry === 'pin');
    sim.control('pressKey', { key: '1' });
    sim.control('fault', { noise: [0x80] });
    expect(await entry).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'entryTimeout' });
  });

  it('resends a command whose reply arrived damaged', async () => {
    sim.control('fault', { corruptReplies: 1 });
    expect((await pad.getKeyDetail({}, signal())).completionCode).toBe('success');
  });

  it('resends a MAC piece whose reply arrived damaged without MACing it twice', async () => {
    const mak = Buffer.from(ISO9797_B4.key, 'hex');
    await pad.importKey({ key: 'MAK', usage: 'M3', algorithm: 'tdes', value: mak }, signal());
    const data = Buffer.alloc(1000, 0x5a);
    sim.control('fault', { corruptReplies: 2 }); // the first piece's reply, twice
    const result = await pad.generateAuthentication({ key: 'MAK', data }, signal());
    expect(result.completionCode === 'success' && Buffer.from(result.payload.authenticationData).toString('hex')).toBe(
      retailMacByNode(mak, data).toString('hex'),
    );
    expect((await pad.deleteKey({ key: 'MAK' }, signal())).completionCode).toBe('success');
  });

  it('maps EPP error statuses to PinPad completions', async () => {
    sim.control('fault', { errorStatus: 0xec });
    const refused = await pad.importKey({ key: 'TMK', usage: 'K0', algorithm: 'tdes', value: new Uint8Array(16) }, signal());
    expect(refused).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'accessDenied' });
    sim.control('fault', { clear: true });
    const wrongLength = await pad.importKey({ key: 'TMK', usage: 'K0', algorithm: 'tdes', value: new Uint8Array(8) }, signal());
    expect(wrongLength).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'invalidKeyLength' });
    const noTmk = await pad.importKey(
      { key: 'PIK', usage: 'P0', algorithm: 'tdes', decryptKey: 'MAK', value: new Uint8Array(16) },
      signal(),
    );
    expect(noTmk).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'keyNotFound' });
  });

  it('refuses PIN-entry terminate keys the EPP cannot honour', async () => {
    const result = await pad.pinEntry({ ...REQUEST, activeKeys: ['one'], terminateKeys: ['fdk01'] }, signal());
    expect(result).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'keyNotSupported' });
  });

  it('keeps key values out of the snapshot and the PIN out of the state file', async () => {
    const entry = pad.pinEntry({ ...REQUEST, activeKeys: [...REQUEST.activeKeys], terminateKeys: [...REQUEST.terminateKeys] }, signal());
    await until(() => pad.getStatus().entry === 'pin');
    sim.control('typePin', { digits: '4321' });
    expect((await entry).completionCode).toBe('success');
    const snapshot = JSON.stringify(sim.snapshot());
    expect(snapshot).not.toMatch(/4321/);
    expect(snapshot).toMatch(/"pinReady":true/);
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(join(stateDir, 'zt588-epp.json'), 'utf8')).not.toMatch(/4321/);
  });
});
