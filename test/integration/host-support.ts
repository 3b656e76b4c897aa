/**
 * Shared set-up for the host link integration tests: a host simulator on loopback and a kiosk side
 * (link, reversal queue and sender, transaction service) on SQLite files in a temp folder, with an
 * in-memory EPP holding the working keys, computing the MACs and wrapping the data key, as the
 * runtime wires it (main/runtime/banking/host-service.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { ManualClock } from '../../drivers/common/clock.js';
import type { MemoryPinPad } from '../../drivers/pin-pad/memory.js';
import { deriveCommonSessionKey, deriveIccMasterKey, generateAc } from '../../main/crypto/emv.js';
import {
  HostLink,
  HostTransactions,
  MemoryJournal,
  ReversalQueue,
  ReversalSender,
  StorageCipher,
  openLinkDb,
  type EmvDataProvider,
  type HostEndpoint,
  type LinkTimeouts,
  type PinBlockSource,
  type TerminalIdentity,
} from '../../main/host-link/index.js';
import { PIK_NAME, PinPadSecurityModule } from '../../main/runtime/banking/pin-pad-keys.js';
import { PinPadStorageKey } from '../../main/runtime/banking/pin-pad-storage-key.js';
import { DEMO_IMK, DEMO_TMK, HostSimulator, type HostSimulatorOptions } from '../../simulators/host/host-sim.js';
import { openMemoryPinPad, typePin } from './support/memory-pin-pad.js';

export const TERMINAL: TerminalIdentity = {
  terminalId: 'ATM00001',
  acceptorId: '123456789012345',
  acquirerId: '12345678',
  nameLocation: 'KIOSK 001 BRANCH A       SHANGHAI     CN',
  utcOffsetMinutes: 480,
};

/** Seeded by the simulator (simulators/host/host-sim.ts seedDemoBank). */
export const CARD = { pan: '6212341234567890', pin: '123456', account: '6222020000000001', psn: '01' } as const;
export const POOR_CARD = { pan: '6212340000000018', pin: '111111', account: '6222020000000003' } as const;
export const OWN_SECOND_ACCOUNT = '6222020000000002';
export const OTHER_CUSTOMER_ACCOUNT = '6222020000000003';

export const magstripe = (pan: string = CARD.pan) => ({ pan, entry: 'magstripe' as const, expiry: '3012' });
export const chip = (pan: string = CARD.pan) => ({
  pan,
  entry: 'chip' as const,
  expiry: '3012',
  sequenceNumber: '001',
});

export const TIMEOUTS: Partial<LinkTimeouts> = {
  responseMs: 5_000,
  idleEchoMs: 3_600_000,
  reconnectMinMs: 1_000,
  reconnectMaxMs: 4_000,
  frameStallMs: 2_000,
};

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export async function startHost(dir: string, options: Partial<HostSimulatorOptions> = {}): Promise<HostSimulator> {
  const simulator = new HostSimulator({
    dir,
    clock: new ManualClock(Date.UTC(2026, 10, 24, 12)),
    tmk: DEMO_TMK,
    imk: DEMO_IMK,
    ...options,
  });
  await simulator.listen(0);
  return simulator;
}

/** The customer at the PIN pad: types the PIN the test chose, and the pad builds the block under the PIK it holds. */
export class TestPinPad implements PinBlockSource {
  current: string = CARD.pin;
  next = '654321';

  constructor(private readonly pad: MemoryPinPad) {}

  async pinBlock({ pan, purpose }: { pan: string; purpose: 'current' | 'new' }): Promise<Uint8Array> {
    await typePin(this.pad, purpose === 'new' ? this.next : this.current);
    const block = await this.pad.getPinBlock({ key: PIK_NAME, customerData: pan, format: 'iso0' }, new AbortController().signal);
    if (block.completionCode !== 'success') throw new Error(`no PIN block: ${block.completionCode}`);
    return block.payload.pinBlock;
  }
}

const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
const tlv = (tag: string, hex: string): string =>
  tag + (hex.length / 2).toString(16).padStart(2, '0').toUpperCase() + hex;

/** A card's 1st GENERATE AC, computed with the issuer master key the simulator also holds. */
export class TestChip implements EmvDataProvider {
  atc = 7;
  corrupt = false;

  constructor(
    private readonly pan: string = CARD.pan,
    private readonly psn: string = CARD.psn,
  ) {}

  async iccData({ amountMinor, kind }: { amountMinor: number; kind: string }): Promise<Uint8Array> {
    const atc = this.atc.toString(16).padStart(4, '0').toUpperCase();
    this.atc++;
    const data: [string, string][] = [
      ['9F02', String(amountMinor).padStart(12, '0')],
      ['9F03', '000000000000'],
      ['9F1A', '0156'],
      ['95', '0000000000'],
      ['5F2A', '0156'],
      ['9A', '261124'],
      ['9C', kind === 'balance' ? '31' : kind === 'transfer' ? '40' : '01'],
      ['9F37', '1A2B3C4D'],
      ['82', '7C00'],
      ['9F36', atc],
    ];
    const sk = deriveCommonSessionKey(deriveIccMasterKey(DEMO_IMK, this.pan, this.psn), Buffer.from(atc, 'hex'));
    const arqc = generateAc(sk, Buffer.from(data.map(([, v]) => v).join(''), 'hex'));
    if (this.corrupt) arqc[0]! ^= 0xff;
    return Buffer.from(tlv('9F26', hexOf(arqc)) + tlv('9F27', '80') + data.map(([t, v]) => tlv(t, v)).join(''), 'hex');
  }
}

export interface Kiosk {
  readonly clock: ManualClock;
  readonly journal: MemoryJournal;
  /** The EPP: keeps its keys across a restart of the kiosk side (pass it to buildKiosk again). */
  readonly pinPad: MemoryPinPad;
  readonly security: PinPadSecurityModule;
  readonly link: HostLink;
  readonly queue: ReversalQueue;
  readonly sender: ReversalSender;
  readonly pins: TestPinPad;
  readonly chip: TestChip;
  readonly tx: HostTransactions;
  close(): Promise<void>;
}

/** The kiosk side, on `<dir>/host-link.sqlite`. Build it again on the same dir (and PIN pad) to model a restart. */
export async function buildKiosk(
  dir: string,
  endpoint: HostEndpoint,
  options: {
    tmk?: Uint8Array;
    timeouts?: Partial<LinkTimeouts>;
    clock?: ManualClock;
    maxFrameLength?: number;
    pinPad?: MemoryPinPad;
  } = {},
): Promise<Kiosk> {
  const clock = options.clock ?? new ManualClock(Date.UTC(2026, 10, 24, 12));
  const journal = new MemoryJournal();
  const pinPad = options.pinPad ?? (await openMemoryPinPad(clock));
  const db = openLinkDb(join(dir, 'host-link.sqlite'));
  const security = new PinPadSecurityModule(pinPad, options.tmk ?? DEMO_TMK);
  const link = new HostLink({
    endpoint,
    terminal: TERMINAL,
    clock,
    db,
    security,
    journal,
    timeouts: { ...TIMEOUTS, ...options.timeouts },
    ...(options.maxFrameLength === undefined ? {} : { maxFrameLength: options.maxFrameLength }),
  });
  const storage = new StorageCipher(db, new PinPadStorageKey(pinPad));
  const queue = new ReversalQueue(db, clock, storage);
  const sender = new ReversalSender({ link, queue, clock, journal, backoffFirstMs: 10_000, backoffMaxMs: 40_000 });
  const pins = new TestPinPad(pinPad);
  const testChip = new TestChip();
  const tx = new HostTransactions({ link, reversals: queue, pins, emv: testChip, journal });
  return {
    clock,
    journal,
    pinPad,
    security,
    link,
    queue,
    sender,
    pins,
    chip: testChip,
    tx,
    async close() {
      sender.stop();
      await link.stop();
      storage.lock();
      db.close();
    },
  };
}

/** Starts the link and waits for sign-on; the sender starts too. */
export async function connect(kiosk: Kiosk): Promise<void> {
  kiosk.sender.start();
  kiosk.link.start();
  await until(() => kiosk.link.up);
}

/** Polls real time (the I/O is real) until `check` holds. */
export async function until(check: () => boolean, timeout = 5_000): Promise<void> {
  await vi.waitFor(
    () => {
      if (!check()) throw new Error('condition not met yet');
    },
    { timeout, interval: 5 },
  );
}

export function balanceOf(host: HostSimulator, account: string): number {
  return host.store.account(account)!.balanceMinor;
}

/** A host simulator and a signed-on kiosk side in a fresh temp folder: how most link tests start. */
export interface LinkRig {
  readonly dir: ReturnType<typeof tempDir>;
  readonly host: HostSimulator;
  readonly kiosk: Kiosk;
}

export async function openLinkRig(
  prefix: string,
  options: { host?: Partial<HostSimulatorOptions>; kiosk?: Parameters<typeof buildKiosk>[2] } = {},
): Promise<LinkRig> {
  const dir = tempDir(prefix);
  const host = await startHost(dir.path, options.host);
  const kiosk = await buildKiosk(dir.path, { host: '127.0.0.1', port: host.port }, options.kiosk);
  await connect(kiosk);
  return { dir, host, kiosk };
}

/** Closes a rig; `kiosk` is the one the test ended with, which may be a rebuilt one. */
export async function closeLinkRig({ dir, host, kiosk }: LinkRig): Promise<void> {
  await kiosk.close();
  await host.close();
  dir.remove();
}
