import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../drivers/common/clock.js';
import { chipTransport } from '../../drivers/card-reader/chip-transport.js';
import { CreatorCardReader } from '../../drivers/card-reader/creator/creator-card-reader.js';
import { EmvKernel } from '../../drivers/card-reader/emv-kernel.js';
import { ATM_TERMINAL_DEFAULTS } from '../../drivers/card-reader/emv-terminal.js';
import { toHex } from '../../drivers/protocols/emv/hex.js';
import { decodeTlv } from '../../drivers/protocols/emv/tlv.js';
import { PcscTransport } from '../../drivers/transports/pcsc-transport.js';
import { SerialTransport } from '../../drivers/transports/serial-transport.js';
import { fromHex } from '../../main/crypto/bytes.js';
import { deriveCommonSessionKey, deriveIccMasterKey, generateAc } from '../../main/crypto/emv.js';
import { defaultConfig } from '../../main/runtime/config.js';
import { balanceOf, sim, until } from './support/kill-stack.js';
import { startKioskProcess } from './support/kiosk-process.js';
import { pcscDiagnosis, usePcscExclusively } from './support/pcsc.js';

/*
 * The card reader as the kiosk uses it: the simulators run in their own
 * process (as `./kiosk start` runs them); the Creator driver reads the
 * magnetic tracks over a socat pty, moves the card onto the contacts, and the
 * simulated card then appears to pcscd through vsmartcard's vpcd, where the
 * same driver powers it (PC/SC) and the EMV kernel runs SELECT → GPO → READ
 * RECORD → GENERATE AC through the card-reader contract. vpcd slot 1 keeps
 * this test apart from the bare PC/SC test on slot 0.
 */
const SLOT = 1;
const ISSUER_MASTER_KEY = '0123456789ABCDEFFEDCBA9876543210'; // the simulated card's default profile
const TRACK2 = '6212341234567890=30122011234500000';
const CDOL1_TAGS = ['9F02', '9F03', '9F1A', '95', '5F2A', '9A', '9C', '9F37'];

let stateDir: string;
let sims: ChildProcess;
let controlUrl: string;
let reader: CreatorCardReader;
let ports: { host: number; scanner?: number };
const signal = (): AbortSignal => new AbortController().signal;

usePcscExclusively();

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'kiosk-chip-'));
  sims = spawn(process.execPath, ['dist/simulators/launcher/main.js'], {
    env: { ...process.env, KIOSK_STATE_DIR: stateDir, KIOSK_SIM_HOST_PORT: '0', KIOSK_VPCD_SLOT: String(SLOT) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    sims.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('simulators ready')) resolve();
    });
    sims.once('exit', (code) => reject(new Error(`simulators exited (${code}): ${out}`)));
  });
  const manifest = JSON.parse(await readFile(join(stateDir, 'run', 'simulators.json'), 'utf8')) as {
    controlUrl: string;
    pcscd: string;
    ports: Record<string, string>;
    tcpServices: { host: number; scanner?: number };
  };
  ports = manifest.tcpServices;
  if (manifest.pcscd === 'unavailable') throw new Error(`pcscd is not running: the chip path cannot be tested\n${await pcscDiagnosis()}`);
  controlUrl = manifest.controlUrl;
  reader = new CreatorCardReader(
    { id: 'cardReader', clock: systemClock },
    new SerialTransport({ path: manifest.ports.cardReader as string, baudRate: 9600 }),
    {},
    new PcscTransport({ reader: `Virtual PCD 00 0${SLOT}`, pollMs: 250 }),
  );
  expect((await reader.open(signal())).completionCode).toBe('success');
}, 30_000);

afterAll(async () => {
  await reader?.close().catch(() => undefined);
  sims?.kill('SIGTERM');
  await rm(stateDir, { recursive: true, force: true });
});

describe('card in the motorised reader, chip through pcscd + vpcd', () => {
  it('reads track 2 over the pty and the ATR through PC/SC, then gets an ARQC that the card keys verify', async () => {
    const read = reader.readRawData({ track2: true, chip: true }, signal());
    const inserted = await fetch(`${controlUrl}/sim/cardReader/insertCard`, {
      method: 'POST',
      body: JSON.stringify({ track2: TRACK2, chip: true }),
    });
    expect(inserted.status).toBe(200);
    const result = await read;
    expect(result.completionCode).toBe('success');
    if (result.completionCode !== 'success') return;
    expect(new TextDecoder().decode(result.payload.track2?.data)).toBe(TRACK2);
    expect(result.payload.chip?.status, await pcscDiagnosis()).toBe('ok');
    expect(toHex(result.payload.chip?.data ?? new Uint8Array())).toBe('3B600000');

    const kernel = new EmvKernel(chipTransport(reader), { ...ATM_TERMINAL_DEFAULTS, aids: ['A000000333010101'] }, () =>
      fromHex('11223344'),
    );
    const first = await kernel.firstAc(
      { amount: 50_000, currency: '156', type: 'cash', date: '261125', sequenceCounter: 1 },
      signal(),
    );
    expect(first).toMatchObject({ pan: '6212341234567890', cryptogram: 'ARQC' });
    const tags = new Map(decodeTlv(first.de55).map((t) => [t.tag, t.value]));
    const atc = tags.get('9F36') as Uint8Array;
    const sessionKey = deriveCommonSessionKey(deriveIccMasterKey(fromHex(ISSUER_MASTER_KEY), first.pan, '01'), atc);
    const cdol1 = Buffer.concat([
      ...CDOL1_TAGS.map((t) => tags.get(t) as Uint8Array),
      tags.get('82') as Uint8Array,
      atc,
    ]);
    expect(toHex(tags.get('9F26') as Uint8Array)).toBe(toHex(generateAc(sessionKey, cdol1)));

    expect((await reader.move({ to: 'exit' }, signal())).completionCode).toBe('success');
    await fetch(`${controlUrl}/sim/cardReader/takeCard`, { method: 'POST', body: '{}' });
    // The kiosk below opens the same pty: the bench driver lets go of it.
    await reader.close();
  }, 30_000);

  it('pays a withdrawal for a chip card: ARQC in the 0200, the issuer checks it, the card gives a TC', async () => {
    const stack = { stateDir, sims, controlUrl, hostPort: ports.host };
    const config = defaultConfig(stateDir, ports.host, ports.scanner);
    const configPath = join(stateDir, 'kiosk-chip.json');
    await writeFile(
      configPath,
      JSON.stringify({
        ...config,
        devices: config.devices.map((d) =>
          d.id === 'cardReader' ? { ...d, options: { ...d.options, chipReader: `Virtual PCD 00 0${SLOT}` } } : d,
        ),
      }),
    );
    const before = await balanceOf(stack);
    const kiosk = await startKioskProcess(stateDir, ports.host, { KIOSK_CONFIG: configPath });
    try {
      expect(await kiosk.waitForView((v) => v.screen === 'welcome', 15_000)).toBeDefined();
      await sim(stack, 'cardReader', 'insertCard', { track2: TRACK2, chip: true });
      expect(await kiosk.waitForView((v) => v.screen === 'language')).toBeDefined();
      kiosk.intent({ type: 'ui.languageSelected', language: 'zh-CN' });
      await kiosk.waitForView((v) => v.screen === 'pin');
      await until(async () => (await sim(stack, 'pinPad')).mode === 'pin', 5000);
      await sim(stack, 'pinPad', 'typePin', { digits: '123456', enter: true });
      await kiosk.waitForView((v) => v.screen === 'menu');
      kiosk.intent({ type: 'ui.optionSelected', option: 'menu.withdrawal' });
      await kiosk.waitForView((v) => v.screen === 'amount');
      kiosk.intent({ type: 'ui.optionSelected', option: 'amount.50000' });
      await kiosk.waitForView((v) => v.screen === 'receiptQuestion');
      kiosk.intent({ type: 'ui.optionSelected', option: 'receipt.no' });
      await kiosk.waitForView((v) => v.screen === 'confirm');
      kiosk.intent({ type: 'ui.confirmed' });
      expect(await kiosk.waitForView((v) => v.screen === 'takeCash', 20_000)).toBeDefined();
      expect(await until(async () => ((await sim(stack, 'cashDispenser')).exit as unknown[]).length > 0, 10_000)).toBe(
        true,
      );
      await sim(stack, 'cashDispenser', 'takeNotes');
      await kiosk.waitForView((v) => v.screen === 'anotherTransaction');
      kiosk.intent({ type: 'ui.optionSelected', option: 'another.no' });
      await kiosk.waitForView((v) => v.screen === 'takeCard');
      await until(async () => (await sim(stack, 'cardReader')).position === 'gate', 5000);
      await sim(stack, 'cardReader', 'takeCard');
      await kiosk.waitForView((v) => v.screen === 'welcome');
      expect(before - (await balanceOf(stack))).toBe(50_000);
      const host = await sim(stack, 'host');
      expect(host.arqcFailures).toBe(0);
    } finally {
      await kiosk.stop();
    }
    const journal = new Database(join(stateDir, 'journal.sqlite'), { readonly: true });
    try {
      const verdicts = journal.prepare(`SELECT payload FROM journal WHERE payload LIKE '%chip.secondAc%'`).all() as {
        payload: string;
      }[];
      expect(verdicts.map((v) => JSON.parse(v.payload).verdict)).toEqual(['tc']);
    } finally {
      journal.close();
    }
  }, 90_000);
});
