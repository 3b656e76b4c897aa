/**
 * Bad input from the host, scripted through the simulator's fault API: the link journals each
 * case, never throws out of its receive path, and recovers (same connection, or a new one).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeWire } from '../../simulators/host/wire.js';
import {
  CARD,
  balanceOf,
  buildKiosk,
  closeLinkRig,
  connect,
  magstripe,
  openLinkRig,
  until,
  type Kiosk,
  type LinkRig,
} from './host-support.js';

let dir: LinkRig['dir'];
let host: LinkRig['host'];
let kiosk: Kiosk;

beforeEach(async () => {
  ({ dir, host, kiosk } = await openLinkRig('host-faults-'));
});
afterEach(() => closeLinkRig({ dir, host, kiosk }));

const balance = () => kiosk.tx.perform({ kind: 'balance', card: magstripe() });
const signOns = () => host.received.filter((raw) => decodeWire(raw).fields.get(70) === '001').length;

describe('MAC failure', () => {
  it('fails the request clearly, owes its reversal, and signs on again for new keys', async () => {
    const firstKeys = host.store.terminalKeys('ATM00001')!.mak.toString('hex');
    host.control('fault', { kind: 'badMac' });
    const reply = await kiosk.tx.perform({ kind: 'withdrawal', card: magstripe(), amountMinor: 50_000 });
    expect(reply).toMatchObject({ action: 'outOfService', linkFailure: 'macFailure' });
    expect(kiosk.journal.events('macFailure')).toHaveLength(1);
    await until(() => kiosk.link.up && signOns() === 2);
    expect(host.store.terminalKeys('ATM00001')!.mak.toString('hex')).not.toBe(firstKeys);
    await until(() => kiosk.queue.outstanding().length === 0);
    expect(balanceOf(host, CARD.account)).toBe(5_000_000);
    expect((await balance()).action).toBe('approve');
  });

  it('a PIN pad that cannot MAC (its MAK is gone) keeps the request in the kiosk: 91, nothing owed', async () => {
    expect((await kiosk.pinPad.deleteKey({ key: 'MAK' }, new AbortController().signal)).completionCode).toBe('success');
    const sent = host.received.length;
    const reply = await kiosk.tx.perform({ kind: 'withdrawal', card: magstripe(), amountMinor: 50_000 });
    expect(reply).toMatchObject({ action: 'outOfService', responseCode: '91', linkFailure: 'securityModule' });
    expect(kiosk.journal.events('macUnavailable')).toHaveLength(1);
    expect(host.received.length).toBe(sent);
    expect(kiosk.queue.outstanding()).toEqual([]);
    expect(balanceOf(host, CARD.account)).toBe(5_000_000);
  });

  it('A0 from the host (it could not verify our MAC) also triggers a new sign-on', async () => {
    host.control('fault', { kind: 'decline', code: 'A0' });
    expect(await balance()).toMatchObject({ linkFailure: 'macFailure' });
    await until(() => kiosk.link.up && signOns() === 2);
    expect(kiosk.journal.events('macRejectedByHost')).toHaveLength(1);
  });
});

describe('responses that match nothing', () => {
  it('a duplicate response is journaled and dropped', async () => {
    host.control('fault', { kind: 'duplicate' });
    expect((await balance()).action).toBe('approve');
    await until(() => kiosk.journal.events('duplicateResponse').length === 1);
    expect((await balance()).action).toBe('approve');
  });

  it('a response to a STAN nobody asked about is journaled and dropped; the real one still matches', async () => {
    host.control('fault', { kind: 'stray' });
    expect((await balance()).action).toBe('approve');
    expect(kiosk.journal.events('unmatchedResponse')).toHaveLength(1);
  });

  it('a request the host never answers times out without taking the link down', async () => {
    host.control('fault', { kind: 'timeout', process: false });
    const pending = balance();
    await until(() => host.received.length === 2);
    kiosk.clock.advance(5_000);
    expect(await pending).toMatchObject({ linkFailure: 'timeout' });
    expect(kiosk.link.up).toBe(true);
  });
});

describe('malformed, truncated and oversized messages', () => {
  it('an undecodable message is journaled; the request times out; the link stays up and serves the next', async () => {
    host.control('fault', { kind: 'formatError' });
    const pending = balance();
    await until(() => kiosk.journal.events('malformedMessage').length === 1);
    expect(kiosk.journal.events('malformedMessage')[0]!.payload).toMatchObject({ code: 'badBitmap' });
    kiosk.clock.advance(5_000);
    expect(await pending).toMatchObject({ linkFailure: 'timeout' });
    expect(kiosk.link.up).toBe(true);
    expect((await balance()).action).toBe('approve');
  });

  it('a truncated frame stalls: journaled, the connection is dropped and rebuilt', async () => {
    host.control('fault', { kind: 'truncated' });
    const pending = balance();
    await until(() => host.received.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the partial frame arrive
    kiosk.clock.advance(2_000); // frame stall limit
    await until(() => kiosk.journal.events('stalledFrame').length === 1);
    expect(await pending).toMatchObject({ linkFailure: 'disconnected' });
    kiosk.clock.advance(1_000);
    await until(() => kiosk.link.up);
    expect((await balance()).action).toBe('approve');
  });

  it('an oversized frame is journaled and the stream is resynchronised by reconnecting', async () => {
    host.control('fault', { kind: 'oversized' });
    expect(await balance()).toMatchObject({ linkFailure: 'disconnected' });
    expect(kiosk.journal.events('oversizedFrame')).toHaveLength(1);
    kiosk.clock.advance(1_000);
    await until(() => kiosk.link.up);
    expect((await balance()).action).toBe('approve');
  });

  it('a disconnect in the middle of a response drops the link and it comes back', async () => {
    host.control('fault', { kind: 'disconnect', process: false });
    expect(await balance()).toMatchObject({ linkFailure: 'disconnected' });
    kiosk.clock.advance(1_000);
    await until(() => kiosk.link.up);
    expect((await balance()).action).toBe('approve');
  });
});

describe('keep-alive', () => {
  it('sends an 0800 echo (DE70 301) after the idle time; an unanswered echo drops the link', async () => {
    await kiosk.close();
    kiosk = await buildKiosk(dir.path, { host: '127.0.0.1', port: host.port }, { timeouts: { idleEchoMs: 30_000 } });
    await connect(kiosk);
    const echoes = () => host.received.filter((raw) => decodeWire(raw).fields.get(70) === '301').length;
    const answered = () => kiosk.journal.events('received').filter((r) => r.payload['mti'] === '0810').length;
    const signOnAnswers = answered();
    kiosk.clock.advance(30_000);
    await until(() => echoes() === 1);
    // The next idle period starts when the kiosk has the 0810: time moves on only after that.
    await until(() => answered() === signOnAnswers + 1);
    expect(kiosk.link.up).toBe(true);

    host.control('fault', { kind: 'timeout', mti: '08', process: false });
    kiosk.clock.advance(30_000);
    await until(() => echoes() === 2);
    kiosk.clock.advance(5_000);
    await until(() => kiosk.journal.events('echoFailed').length === 1 && !kiosk.link.up);
  });
});
