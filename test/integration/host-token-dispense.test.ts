/**
 * The token's whole path (docs/devices/cash-dispenser.md "The token's path"): the LCDM-4000 driver
 * gets a nonce from the simulated dispenser over a socat pty, the kiosk sends it with the withdrawal
 * to the host simulator over TCP, the host signs the approved amount, and the dispenser pays it out
 * — once. The kiosk side holds no key at any point.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Lcdm4000Dispenser } from '../../drivers/cash-dispenser/lcdm4000/lcdm4000-dispenser.js';
import { systemClock } from '../../drivers/common/clock.js';
import { SerialTransport } from '../../drivers/transports/serial-transport.js';
import type { HostSimulator } from '../../simulators/host/host-sim.js';
import { Lcdm4000Simulator } from '../../simulators/dispenser-lcdm4000/lcdm-sim.js';
import { createPtyPair, type PtyPair } from '../../simulators/launcher/pty-pair.js';
import { DRIVER_OPTIONS, SIM_CONFIG } from './dispenser-rig.js';
import { CARD, balanceOf, buildKiosk, connect, magstripe, startHost, tempDir, type Kiosk } from './host-support.js';

const signal = (): AbortSignal => new AbortController().signal;
const serial = (path: string) => new SerialTransport({ path, baudRate: 9600, parity: 'even' });

let dir: ReturnType<typeof tempDir>;
let ptyDir: string;
let pair: PtyPair;
let sim: Lcdm4000Simulator;
let dispenser: Lcdm4000Dispenser;
let host: HostSimulator;
let kiosk: Kiosk;

beforeEach(async () => {
  dir = tempDir('host-token-e2e-');
  ptyDir = await mkdtemp(join(tmpdir(), 'kiosk-token-'));
  pair = await createPtyPair(join(ptyDir, 'host'), join(ptyDir, 'device'));
  sim = new Lcdm4000Simulator('cashDispenser', SIM_CONFIG); // tokens enforced, development host key
  await sim.attach(serial(pair.devicePath));
  dispenser = new Lcdm4000Dispenser({ id: 'cashDispenser', clock: systemClock }, serial(pair.hostPath), {
    ...DRIVER_OPTIONS,
    ackTimeoutMs: 150,
    replyTimeoutMs: 300,
  });
  expect((await dispenser.open(signal())).completionCode).toBe('success');
  host = await startHost(dir.path); // signs with its default key, the dispensers' development key
  kiosk = await buildKiosk(dir.path, { host: '127.0.0.1', port: host.port });
  await connect(kiosk);
});

afterEach(async () => {
  await kiosk.close();
  await host.close();
  await dispenser.close();
  await sim.detach();
  await pair.close();
  await rm(ptyDir, { recursive: true, force: true });
  dir.remove();
});

/** Yuan of the notes at the exit, counted by the simulated mechanism. */
function yuanAtExit(): number {
  const { cassettes, exit } = sim.device.snapshot;
  return exit.reduce((sum, note) => sum + (cassettes[note.cassette]?.value ?? 0), 0) / 100;
}

it('nonce from the dispenser → host-signed token → the dispenser pays the approved amount, once', async () => {
  const nonce = await dispenser.getCommandNonce(undefined, signal());
  if (nonce.completionCode !== 'success') throw new Error(`no nonce: ${nonce.errorDescription}`);

  const reply = await kiosk.tx.perform({
    kind: 'withdrawal',
    card: magstripe(),
    amountMinor: 38_000,
    dispenseNonce: nonce.payload.commandNonce,
  });
  expect(reply.action).toBe('approve');
  const token = reply.dispenseToken;
  expect(token).toBeDefined();

  const amount = { currency: 'CNY', amount: 38_000 };
  const paid = await dispenser.dispense({ denomination: { amount, mixNumber: 1 }, token }, signal());
  expect(paid.completionCode).toBe('success');
  expect((await dispenser.present({}, signal())).completionCode).toBe('success');
  expect(yuanAtExit()).toBe(380);
  const taken = new Promise<void>((resolve) => dispenser.on('itemsTaken', () => resolve()));
  sim.control('takeNotes', {});
  await taken;
  reply.settlement?.complete();
  expect(balanceOf(host, CARD.account)).toBe(5_000_000 - 38_000);

  // The same token again: its amount is spent, nothing moves.
  const cassettesBefore = sim.device.snapshot.cassettes.map((c) => c.notes.length);
  const replay = await dispenser.dispense({ denomination: { amount, mixNumber: 1 }, token }, signal());
  expect(replay.completionCode).toBe('invalidToken');
  expect(sim.device.snapshot.cassettes.map((c) => c.notes.length)).toEqual(cassettesBefore);
});

it('a withdrawal sent without the nonce is approved, but the dispenser pays nothing', async () => {
  expect((await dispenser.getCommandNonce(undefined, signal())).completionCode).toBe('success');
  const reply = await kiosk.tx.perform({ kind: 'withdrawal', card: magstripe(), amountMinor: 10_000 });
  expect(reply.action).toBe('approve');
  expect(reply.dispenseToken).toBeUndefined();
  const before = sim.device.snapshot.cassettes.map((c) => c.notes.length);
  const refused = await dispenser.dispense(
    { denomination: { amount: { currency: 'CNY', amount: 10_000 }, mixNumber: 1 } },
    signal(),
  );
  expect(refused.completionCode).toBe('invalidToken');
  expect(sim.device.snapshot.cassettes.map((c) => c.notes.length)).toEqual(before);
  reply.settlement?.reverse('dispenseFault');
});
