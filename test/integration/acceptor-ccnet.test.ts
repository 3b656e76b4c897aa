import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CcnetAcceptor } from '../../drivers/cash-acceptor/ccnet/ccnet-acceptor.js';
import { systemClock } from '../../drivers/common/clock.js';
import { createMemoryPipe } from '../../drivers/common/memory-transport.js';
import type { ByteTransport } from '../../drivers/common/transport.js';
import { SerialTransport } from '../../drivers/transports/serial-transport.js';
import { CcnetAcceptorSimulator } from '../../simulators/acceptor-ccnet/ccnet-acceptor-sim.js';
import { SERIAL_SIMULATORS } from '../../simulators/launcher/catalogue.js';
import { createPtyPair } from '../../simulators/launcher/pty-pair.js';
import { cashAcceptorContract, type CashAcceptorRig } from '../contract/cash-acceptor.contract.js';

const DRIVER_OPTIONS = {
  pollIntervalMs: 20,
  insertIdleMs: 150,
  replyTimeoutMs: 150,
  retries: 2,
  missedPollsOffline: 2,
};

function rigFor(sim: CcnetAcceptorSimulator, host: ByteTransport, cleanup: () => Promise<void>): CashAcceptorRig {
  const acceptor = new CcnetAcceptor({ id: 'cashAcceptor', clock: systemClock }, host, DRIVER_OPTIONS);
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

cashAcceptorContract('CCNET driver ↔ simulator over an in-memory pipe', async () => {
  const pipe = createMemoryPipe('cashAcceptorCcnet');
  const sim = new CcnetAcceptorSimulator();
  await sim.attach(pipe.device);
  return rigFor(sim, pipe.host, () => sim.detach());
});

let ptyDir: string;
let ptys = 0;
beforeAll(async () => {
  ptyDir = await mkdtemp(join(tmpdir(), 'kiosk-ccnet-'));
});
afterAll(async () => {
  await rm(ptyDir, { recursive: true, force: true });
});

cashAcceptorContract('CCNET driver ↔ simulator over a socat pty pair', async () => {
  ptys += 1;
  const pair = await createPtyPair(join(ptyDir, `host${ptys}`), join(ptyDir, `device${ptys}`));
  const sim = new CcnetAcceptorSimulator({ stateDir: join(ptyDir, `state${ptys}`) });
  await sim.attach(new SerialTransport({ path: pair.devicePath, baudRate: 9600 }));
  return rigFor(sim, new SerialTransport({ path: pair.hostPath, baudRate: 9600 }), async () => {
    await sim.detach();
    await pair.close();
  });
});

describe('CCNET simulator in the launcher', () => {
  it('is in the catalogue as cashAcceptorCcnet', () => {
    const entry = SERIAL_SIMULATORS.find((e) => e.name === 'cashAcceptorCcnet');
    expect(entry?.create({ runDir: tmpdir() })).toBeInstanceOf(CcnetAcceptorSimulator);
  });
});
