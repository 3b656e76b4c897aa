/**
 * Shared set-up for the host link integration tests: a host simulator on loopback and a kiosk side
 * (link, reversal queue and sender, transaction service) on SQLite files in a temp folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { ManualClock } from '../../drivers/common/clock.js';
import { deriveCommonSessionKey, deriveIccMasterKey, generateAc } from '../../main/crypto/emv.js';
import {
  HostLink,
  HostTransactions,
  MemoryJournal,
  ReversalQueue,
  ReversalSender,
  SoftwareSecurityModule,
  openLinkDb,
  type EmvDataProvider,
  type HostEndpoint,
  type LinkTimeouts,
  type PinBlockSource,
  type TerminalIdentity,
} from '../../main/host-link/index.js';
import { DEMO_IMK, DEMO_TMK, HostSimulator, type HostSimulatorOptions } from '../../simulators/host/host-sim.js';

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

/** A PIN pad stand-in: blocks built with main/crypto under the PIK the link installed. */
export class TestPinPad implements PinBlockSource {
  current: string = CARD.pin;
  next = '654321';

  constructor(private readonly security: SoftwareSecurityModule) {}

  async pinBlock({ pan, purpose }: { pan: string; purpose: 'current' | 'new' }): Promise<Uint8Array> {
    return this.security.encipherPin(purpose === 'new' ? this.next : this.current, pan);
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
  readonly security: SoftwareSecurityModule;
  readonly link: HostLink;
  readonly queue: ReversalQueue;
  readonly sender: ReversalSender;
  readonly pins: TestPinPad;
  readonly chip: TestChip;
  readonly tx: HostTransactions;
  close(): Promise<void>;
}

/** The kiosk side, on `<dir>/host-link.sqlite`. Build it again on the same dir to model a restart. */
export function buildKiosk(
  dir: string,
  endpoint: HostEndpoint,
  options: { tmk?: Uint8Array; timeouts?: Partial<LinkTimeouts>; clock?: ManualClock; maxFrameLength?: number } = {},
): Kiosk {
  const clock = options.clock ?? new ManualClock(Date.UTC(2026, 10, 24, 12));
  const journal = new MemoryJournal();
  const db = openLinkDb(join(dir, 'host-link.sqlite'));
  const security = new SoftwareSecurityModule(options.tmk ?? DEMO_TMK);
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
  const queue = new ReversalQueue(db, clock);
  const sender = new ReversalSender({ link, queue, clock, journal, backoffFirstMs: 10_000, backoffMaxMs: 40_000 });
  const pins = new TestPinPad(security);
  const testChip = new TestChip();
  const tx = new HostTransactions({ link, reversals: queue, pins, emv: testChip, journal });
  return {
    clock,
    journal,
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
