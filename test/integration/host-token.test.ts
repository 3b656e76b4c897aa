/**
 * The dispense token over the host link (xfs4iot.md §5, docs/host-link.md "Dispense tokens"): the
 * kiosk sends the dispenser's nonce in DE48 DN, the host simulator signs the approved amount on it
 * and returns it in DE48 DT, over real TCP. The token is checked here with the test's own HMAC.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRequest } from '../../main/host-link/index.js';
import { DEV_HOST_KEY } from '../../simulators/dispenser-core/dispenser-sim.js';
import type { HostSimulatorOptions } from '../../simulators/host/host-sim.js';
import {
  CARD,
  POOR_CARD,
  TERMINAL,
  balanceOf,
  closeLinkRig,
  magstripe,
  openLinkRig,
  until,
  type Kiosk,
  type LinkRig,
} from './host-support.js';

/** xfs4iot.md §5, typed from the reference. */
const XFS_TOKEN =
  /^(?=[!-~]{0,1024}$)NONCE=[0-9A-F]+,TOKENFORMAT=1,TOKENLENGTH=[0-9]{4},(?:[A-Z0-9]+=[^,=]+?,)+HMACSHA256=[0-9A-F]{64}$/;
const START = 5_000_000;

/** HMAC-SHA256 under `key` over the text up to and including `HMACSHA256=`, compared with the token's own. */
function verifies(token: string, key: Buffer): boolean {
  const end = token.indexOf('HMACSHA256=') + 'HMACSHA256='.length;
  const mac = createHmac('sha256', key).update(token.slice(0, end), 'ascii').digest('hex').toUpperCase();
  return mac === token.slice(end);
}

/** The token's fields as written, e.g. NONCE → …, DISPENSE1 → "500.00CNY". */
const fieldsOf = (token: string): Map<string, string> =>
  new Map(token.split(',').map((pair) => pair.split('=') as [string, string]));

const newNonce = (): string => randomBytes(16).toString('hex').toUpperCase();

let dir: LinkRig['dir'];
let host: LinkRig['host'];
let kiosk: Kiosk;

async function start(options: Partial<HostSimulatorOptions> = {}): Promise<void> {
  ({ dir, host, kiosk } = await openLinkRig('host-token-', { host: options }));
}

afterEach(() => closeLinkRig({ dir, host, kiosk }));

describe('with the demo key', () => {
  beforeEach(() => start());

  it('signs the approved amount on the nonce sent; the token verifies under the dispensers’ host key', async () => {
    const nonce = newNonce();
    const reply = await kiosk.tx.perform({
      kind: 'withdrawal',
      card: magstripe(),
      amountMinor: 50_050,
      dispenseNonce: nonce,
    });
    expect(reply).toMatchObject({ action: 'approve', responseCode: '00' });
    const token = reply.dispenseToken ?? '';
    expect(token).toMatch(XFS_TOKEN);
    expect(Number(fieldsOf(token).get('TOKENLENGTH'))).toBe(token.length);
    expect(fieldsOf(token).get('NONCE')).toBe(nonce);
    expect(fieldsOf(token).get('DISPENSE1')).toBe('500.50CNY');
    expect(verifies(token, Buffer.from(DEV_HOST_KEY, 'hex'))).toBe(true);
    expect(verifies(token, Buffer.alloc(32, 0x42))).toBe(false);
    expect(balanceOf(host, CARD.account)).toBe(START - 50_050);
    reply.settlement?.complete();
  });

  it('sends the nonce in DE48 DN and gets the token in DE48 DT of the 0210', async () => {
    const nonce = newNonce();
    const stan = kiosk.link.sequences.nextStan();
    const request = buildRequest(
      { kind: 'withdrawal', card: magstripe(), amountMinor: 10_000, dispenseNonce: nonce, pinBlock: await pinBlock() },
      { terminal: TERMINAL, stan, rrn: kiosk.link.sequences.rrn(stan), epochMs: kiosk.clock.now() },
    );
    expect(request.fields.get(48)).toBe(`DN032${nonce}`);
    const response = await kiosk.link.request(request);
    const de48 = String(response.fields.get(48));
    expect(de48).toMatch(/^DT[0-9]{3}NONCE=/);
    expect(Number(de48.slice(2, 5))).toBe(de48.length - 5);
    expect(fieldsOf(de48.slice(5)).get('DISPENSE1')).toBe('100.00CNY');
  });

  it('approves a withdrawal without a nonce but signs nothing', async () => {
    const reply = await kiosk.tx.perform({ kind: 'withdrawal', card: magstripe(), amountMinor: 10_000 });
    expect(reply).toMatchObject({ action: 'approve', responseCode: '00' });
    expect(reply.dispenseToken).toBeUndefined();
    expect(reply.dispenseTokenFault).toBeUndefined();
    expect(balanceOf(host, CARD.account)).toBe(START - 10_000);
  });

  it('a decline carries no token, on the wire or in the reply', async () => {
    kiosk.pins.current = POOR_CARD.pin;
    const nonce = newNonce();
    const reply = await kiosk.tx.perform({
      kind: 'withdrawal',
      card: magstripe(POOR_CARD.pan),
      amountMinor: 10_000,
      dispenseNonce: nonce,
    });
    expect(reply).toMatchObject({ action: 'insufficientFunds', responseCode: '51' });
    expect(reply.dispenseToken).toBeUndefined();
    expect(reply.dispenseTokenFault).toBeUndefined();
    expect(kiosk.queue.outstanding()).toEqual([]);

    const stan = kiosk.link.sequences.nextStan();
    const request = buildRequest(
      {
        kind: 'withdrawal',
        card: magstripe(POOR_CARD.pan),
        amountMinor: 10_000,
        dispenseNonce: nonce,
        pinBlock: await pinBlock(POOR_CARD.pan),
      },
      { terminal: TERMINAL, stan, rrn: kiosk.link.sequences.rrn(stan), epochMs: kiosk.clock.now() },
    );
    const response = await kiosk.link.request(request);
    expect(response.fields.get(39)).toBe('51');
    expect(response.fields.has(48)).toBe(false);
  });

  it('refuses a reply whose token is signed on another nonce: no token, reversal owed and sent', async () => {
    host.control('fault', { kind: 'tokenTamper' });
    const nonce = newNonce();
    const reply = await kiosk.tx.perform({
      kind: 'withdrawal',
      card: magstripe(),
      amountMinor: 30_000,
      dispenseNonce: nonce,
    });
    expect(reply).toEqual({ action: 'outOfService', responseCode: '68', dispenseTokenFault: 'nonce' });
    expect(kiosk.journal.events('malformedDispenseToken').map((e) => e.payload)).toEqual([
      expect.objectContaining({ fault: 'nonce', reversalOwed: true }),
    ]);
    // The host did debit; the owed reversal gives the money back.
    await until(() => host.store.reversals().length === 1);
    await until(() => kiosk.queue.outstanding().length === 0);
    expect(host.store.reversals()[0]).toMatchObject({ mti: '0420', reason: '68' });
    expect(balanceOf(host, CARD.account)).toBe(START);
  });

  it('refuses a nonce that is not upper-case hex before sending anything', async () => {
    const reply = await kiosk.tx.perform({
      kind: 'withdrawal',
      card: magstripe(),
      amountMinor: 10_000,
      dispenseNonce: 'abc,DISPENSE1=9999.00CNY',
    });
    expect(reply).toEqual({ action: 'outOfService', responseCode: '91', dispenseTokenFault: 'nonceFormat' });
    expect(host.received).toHaveLength(1); // the sign-on only
  });
});

describe('with a bank key configured', () => {
  const bankKey = Buffer.from('A1'.repeat(32), 'hex');
  beforeEach(() => start({ dispenserHostKey: bankKey }));

  it('signs with the configured key, not the demo key', async () => {
    const reply = await kiosk.tx.perform({
      kind: 'withdrawal',
      card: magstripe(),
      amountMinor: 10_000,
      dispenseNonce: newNonce(),
    });
    const token = reply.dispenseToken ?? '';
    expect(verifies(token, bankKey)).toBe(true);
    expect(verifies(token, Buffer.from(DEV_HOST_KEY, 'hex'))).toBe(false);
  });
});

async function pinBlock(pan: string = CARD.pan): Promise<Uint8Array> {
  return kiosk.pins.pinBlock({ pan, purpose: 'current' });
}
