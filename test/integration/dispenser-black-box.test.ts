import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Lcdm4000Dispenser } from '../../drivers/cash-dispenser/lcdm4000/lcdm4000-dispenser.js';
import { buildToken } from '../../drivers/cash-dispenser/token.js';
import { systemClock } from '../../drivers/common/clock.js';
import { SerialTransport } from '../../drivers/transports/serial-transport.js';
import { DEV_HOST_KEY } from '../../simulators/dispenser-core/dispenser-sim.js';
import { Lcdm4000Simulator } from '../../simulators/dispenser-lcdm4000/lcdm-sim.js';
import { createPtyPair, type PtyPair } from '../../simulators/launcher/pty-pair.js';
import { CNY, authorise, hmacSha256, waitFor } from '../contract/cash-dispenser.contract.js';
import { DRIVER_OPTIONS, SIM_CONFIG } from './dispenser-rig.js';

/**
 * A black box on the serial line: raw LCDM frames typed by hand (protocols.md
 * §1b, BCC = XOR of 04..03), not built by the driver's codec.
 */
const frame = (cmd: number, data: readonly number[]): Uint8Array => {
  const bytes = [0x04, 0x30, 0x02, cmd, ...data, 0x03];
  return Uint8Array.from([...bytes, bytes.reduce((x, b) => x ^ b, 0)]);
};
/** DISPENSE 0x52: QTY1..4 (+0x20), TO1 TO2, nine reserved spaces, then (our extension) the token. */
const dispenseFrame = (counts: readonly number[], token = ''): Uint8Array =>
  frame(0x52, [...counts.map((n) => n + 0x20), ...new Array<number>(11).fill(0x20), ...Array.from(token, (c) => c.charCodeAt(0))]);

class Attacker {
  private received: number[] = [];
  constructor(private readonly port: SerialTransport) {
    port.onData((chunk) => this.received.push(...chunk));
  }

  /** Writes a frame and returns the reply's DATA after ACK, acknowledging it like a host would. */
  async send(bytes: Uint8Array): Promise<number[]> {
    this.received = [];
    await this.port.write(bytes);
    await waitFor(() => this.received.includes(0x06) && this.received.lastIndexOf(0x03) > this.received.indexOf(0x01) + 3 && this.received.length > this.received.lastIndexOf(0x03) + 1, 'reply');
    const start = this.received.indexOf(0x01);
    const end = this.received.indexOf(0x03, start);
    await this.port.write(Uint8Array.of(0x06));
    return this.received.slice(start + 4, end);
  }
}

describe('black box on the LCDM-4000 line', () => {
  let dir: string;
  let pair: PtyPair;
  let sim: Lcdm4000Simulator;
  let attacker: Attacker;
  let port: SerialTransport;
  const cassettes = (): number[] => sim.device.snapshot.cassettes.map((c) => c.notes.length);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiosk-blackbox-'));
    pair = await createPtyPair(join(dir, 'host'), join(dir, 'device'));
    sim = new Lcdm4000Simulator('cashDispenser', SIM_CONFIG);
    await sim.attach(new SerialTransport({ path: pair.devicePath, baudRate: 9600 }));
    port = new SerialTransport({ path: pair.hostPath, baudRate: 9600 });
    await port.open();
    attacker = new Attacker(port);
  });

  afterEach(async () => {
    await port.close();
    await sim.detach();
    await pair.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('moves no note for a dispense without a token', async () => {
    const reply = await attacker.send(dispenseFrame([5, 0, 0, 0]));
    expect(reply[0]).toBe(0x20 + 0x54);
    expect(cassettes()).toEqual([20, 20, 20, 20]);
    expect(sim.device.snapshot.last).toBeNull();
  });

  it('moves no note for a forged token on a real nonce', async () => {
    const nonce = String.fromCharCode(...(await attacker.send(frame(0x70, []))).slice(1));
    expect(nonce).toMatch(/^[0-9A-F]{32}$/);
    const forged = await buildToken(nonce, [['DISPENSE1', '500.00CNY']], new Uint8Array(32).fill(0x42), hmacSha256);
    const reply = await attacker.send(dispenseFrame([5, 0, 0, 0], forged));
    expect(reply[0]).toBe(0x20 + 0x53);
    expect(cassettes()).toEqual([20, 20, 20, 20]);
  });

  it('moves no note when a used token is replayed', async () => {
    const nonce = String.fromCharCode(...(await attacker.send(frame(0x70, []))).slice(1));
    // The bank host authorised 100 yuan once.
    const token = await buildToken(nonce, [['DISPENSE1', '100.00CNY']], Buffer.from(DEV_HOST_KEY, 'hex'), hmacSha256);
    expect((await attacker.send(dispenseFrame([1, 0, 0, 0], token)))[0]).toBe(0x20);
    await attacker.send(frame(0x51, [])); // purge the bundle to the reject tray
    expect(cassettes()).toEqual([19, 20, 20, 20]);
    expect((await attacker.send(dispenseFrame([1, 0, 0, 0], token)))[0]).toBe(0x20 + 0x54);
    await attacker.send(frame(0x70, [])); // a new nonce kills the old token outright
    expect((await attacker.send(dispenseFrame([1, 0, 0, 0], token)))[0]).toBe(0x20 + 0x52);
    expect(cassettes()).toEqual([19, 20, 20, 20]);
  });

  it('the runtime-side driver cannot dispense without a host-signed token either', async () => {
    await port.close();
    const driver = new Lcdm4000Dispenser({ id: 'cashDispenser', clock: systemClock }, new SerialTransport({ path: pair.hostPath, baudRate: 9600 }), {
      ...DRIVER_OPTIONS,
      // Even a driver told tokens are optional gets nothing: the firmware decides.
      tokensRequired: false,
    });
    const signal = new AbortController().signal;
    try {
      expect((await driver.open(signal)).completionCode).toBe('success');
      const bare = await driver.dispense({ denomination: { amount: CNY(100), mixNumber: 1 } }, signal);
      expect(bare.completionCode).toBe('invalidToken');
      const good = await authorise(driver, Buffer.from(DEV_HOST_KEY, 'hex'), 100);
      const selfSigned = good.replace(/HMACSHA256=[0-9A-F]{64}$/, `HMACSHA256=${'0'.repeat(64)}`);
      expect((await driver.dispense({ denomination: { amount: CNY(100), mixNumber: 1 }, token: selfSigned }, signal)).completionCode).toBe('invalidTokenHMAC');
      expect(cassettes()).toEqual([20, 20, 20, 20]);
    } finally {
      await driver.close();
      port = new SerialTransport({ path: pair.hostPath, baudRate: 9600 });
    }
  });
});
