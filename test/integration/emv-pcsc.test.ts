import { fork, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmvKernel } from '../../drivers/card-reader/emv-kernel.js';
import { ATM_TERMINAL_DEFAULTS, type TransactionInput } from '../../drivers/card-reader/emv-terminal.js';
import { toHex } from '../../drivers/protocols/emv/hex.js';
import { decodeTlv } from '../../drivers/protocols/emv/tlv.js';
import { PcscTransport } from '../../drivers/transports/pcsc-transport.js';
import { fromHex } from '../../main/crypto/bytes.js';
import { deriveCommonSessionKey, deriveIccMasterKey, generateAc, generateArpcMethod1 } from '../../main/crypto/emv.js';
import { ensurePcscd } from '../../simulators/launcher/pcscd.js';
import { CHAIN } from '../fixtures/emv/atm-withdrawal.js';
import { pcscDiagnosis, usePcscExclusively } from './support/pcsc.js';

/*
 * The whole chip path on real PC/SC: pcscd with vsmartcard's vpcd driver, the
 * card simulator (its own process, as in the field) connected to it as the
 * virtual card, PcscTransport on the reader "Virtual PCD 00 00", and the EMV
 * kernel on top. No skipping: if pcscd cannot run here the suite fails and
 * says why.
 */

interface CardSnapshot {
  inserted: boolean;
  atc: number;
}

/** The card simulator process (simulators/emv-card/main.ts), driven over IPC. */
class CardProcess {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly child: ChildProcess;
  readonly ready: Promise<unknown>;

  constructor() {
    this.child = fork('simulators/emv-card/main.ts', [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.ready = new Promise((resolve, reject) => {
      this.waiting.set(0, { resolve, reject });
      this.child.once('exit', (code) => {
        for (const w of this.waiting.values()) w.reject(new Error(`card process exited with ${code}`));
      });
    });
    this.child.on('message', (m: { id: number; result?: unknown; error?: string }) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.error !== undefined) w?.reject(new Error(m.error));
      else w?.resolve(m.result);
    });
  }

  request(action: string, body: unknown = {}): Promise<CardSnapshot> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, action, body });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.disconnect();
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** vpcd slot 0 unless KIOSK_VPCD_SLOT says otherwise (both the reader name and the card's port follow it). */
const READER = `Virtual PCD 00 0${Number(process.env.KIOSK_VPCD_SLOT ?? 0)}`;
const WAIT_MS = 8000;
const signal = (): AbortSignal => new AbortController().signal;
const WITHDRAWAL: TransactionInput = { amount: 50000, currency: '156', type: 'cash', date: '261124', sequenceCounter: 7 };
const CDOL1_TAGS = ['9F02', '9F03', '9F1A', '95', '5F2A', '9A', '9C', '9F37'];

async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet: pcscd may still be loading its readers
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}\n${await pcscDiagnosis()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

usePcscExclusively();

describe('EMV over PC/SC: card simulator on vpcd, PcscTransport, kernel', () => {
  let card: CardProcess;
  const transport = new PcscTransport({ reader: READER, pollMs: 250 });
  const presence: boolean[] = [];
  const kernel = new EmvKernel(transport, { ...ATM_TERMINAL_DEFAULTS, aids: ['A000000333010101', 'A0000000031010'] }, () => fromHex('1A2B3C4D'));

  beforeAll(async () => {
    const state = await ensurePcscd();
    if (state === 'unavailable') throw new Error(`pcscd is not installed or did not start: the chip path cannot be tested\n${await pcscDiagnosis()}`);
    await until(`reader "${READER}" in pcscd`, async () => {
      await transport.open();
      return true;
    });
    transport.onPresence((p) => presence.push(p));
    card = new CardProcess();
    await card.ready;
    await card.request('insert');
    await until('the card to be reported present', () => transport.cardPresent);
  });

  afterAll(async () => {
    await transport.close();
    await card?.stop();
  });

  it('powers the card and reads its ATR', async () => {
    expect(toHex(await transport.powerOn(signal()))).toBe('3B600000');
    expect(presence).toContain(true);
  });

  it('runs the kernel to an ARQC that the issuer recomputes, then ARPC → TC', async () => {
    const first = await kernel.firstAc(WITHDRAWAL, signal());
    expect(first).toMatchObject({ aid: 'A000000333010101', pan: CHAIN.pan, cryptogram: 'ARQC', cvm: 'onlinePin' });
    const tags = new Map(decodeTlv(first.de55).map((t) => [t.tag, t.value]));
    const atc = tags.get('9F36') as Uint8Array;
    expect(toHex(atc)).toBe('0007');
    const sk = deriveCommonSessionKey(deriveIccMasterKey(fromHex(CHAIN.imk), first.pan, '01'), atc);
    expect(toHex(sk)).toBe(CHAIN.sessionKeyAtc0007);
    const cdol1 = Buffer.concat([...CDOL1_TAGS.map((t) => tags.get(t) as Uint8Array), tags.get('82') as Uint8Array, atc]);
    const arqc = tags.get('9F26') as Uint8Array;
    expect(toHex(arqc)).toBe(toHex(generateAc(sk, cdol1)));

    const arc = Buffer.from('00', 'ascii');
    const issuerAuthenticationData = Buffer.concat([generateArpcMethod1(sk, arqc, arc), arc]);
    const second = await kernel.secondAc({ approved: true, authorisationResponseCode: '00', issuerAuthenticationData }, signal());
    expect(second).toMatchObject({ cryptogram: 'TC', issuerAuthentication: 'passed' });
    expect((await card.request('snapshot')).atc).toBe(7);
  });

  it('copes with a T=0-style card (61xx / 6Cxx) through pcscd', async () => {
    await card.request('profile', { t0Responses: true });
    await transport.powerOn(signal());
    const first = await kernel.firstAc(WITHDRAWAL, signal());
    expect(first.cryptogram).toBe('ARQC');
    expect(toHex(new Map(decodeTlv(first.de55).map((t) => [t.tag, t.value])).get('9F36') as Uint8Array)).toBe('0008');
  });

  it('reports the card removed and refuses APDUs afterwards', async () => {
    expect((await card.request('remove')).inserted).toBe(false);
    await until('the removal event', () => presence.at(-1) === false);
    expect(transport.cardPresent).toBe(false);
    await expect(transport.transmit(fromHex('80CA9F3600'), signal())).rejects.toMatchObject({ name: 'PcscTransportError' });
    await expect(transport.powerOn(signal())).rejects.toMatchObject({ code: 'noCard' });
  });
});
