/**
 * Reversals end to end: persisted before the request, owed on timeout, dispense faults, card AAC
 * and retracted cash, sent as 0420 then 0421 until a 0430 arrives, across a restart of the link,
 * with the PAN kept in the link's file only sealed (also in a file an older version wrote).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRequest, openLinkDb } from '../../main/host-link/index.js';
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
const START = 5_000_000;

beforeEach(async () => {
  ({ dir, host, kiosk } = await openLinkRig('host-rev-'));
});
afterEach(() => closeLinkRig({ dir, host, kiosk }));

const reversalMtis = (): string[] => host.store.reversals().map((r) => r.mti);
/** What the host received, read with the simulator's own decoder. */
const receivedOf = (mti: string) => host.received.map(decodeWire).filter((m) => m.mti === mti);
const linkFile = (): string => join(dir.path, 'host-link.sqlite');
/** Every byte SQLite keeps for the link, read directly: the file and its WAL. */
const linkFileBytes = (): string =>
  [linkFile(), `${linkFile()}-wal`]
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f).toString('latin1'))
    .join('');

describe('timeout', () => {
  it('leaves the reversal owed; it goes as 0420, then 0421 after each backoff, until a 0430', async () => {
    host.control('fault', { kind: 'timeout' }); // the host debits but never answers
    host.control('fault', { kind: 'timeout', mti: '04', count: 2 }); // and ignores the first two reversals
    const pending = kiosk.tx.perform({ kind: 'withdrawal', card: magstripe(), amountMinor: 50_000 });
    await until(() => host.received.length === 2); // sign-on + 0200
    expect(kiosk.queue.outstanding()).toEqual([]); // only prepared while the host is silent
    expect(balanceOf(host, CARD.account)).toBe(START - 50_000);

    kiosk.clock.advance(5_000); // response timeout
    const reply = await pending;
    expect(reply).toMatchObject({ action: 'outOfService', responseCode: '68', linkFailure: 'timeout' });
    await until(() => reversalMtis().length === 1);
    expect(reversalMtis()).toEqual(['0420']);
    expect(host.store.reversals()[0]).toMatchObject({
      reason: '68',
      originalStan: host.store.reversals()[0]!.originalStan,
    });

    const unanswered = (n: number) => () => kiosk.journal.events('reversalUnanswered').length === n;
    kiosk.clock.advance(5_000); // t=10 s: the 0420 times out; next attempt 10 s after the first (t=15 s)
    await until(unanswered(1));
    kiosk.clock.advance(5_000);
    await until(() => reversalMtis().length === 2);
    kiosk.clock.advance(5_000); // t=20 s: the 0421 times out; the backoff doubles (t=35 s)
    await until(unanswered(2));
    kiosk.clock.advance(14_999);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reversalMtis()).toHaveLength(2);
    kiosk.clock.advance(1);
    await until(() => reversalMtis().length === 3);
    await until(() => kiosk.queue.outstanding().length === 0);

    expect(reversalMtis()).toEqual(['0420', '0421', '0421']);
    const stans = new Set(host.store.reversals().map((r) => r.stan));
    expect(stans.size).toBe(1); // repeats keep the reversal's STAN
    expect(balanceOf(host, CARD.account)).toBe(START);
    expect(kiosk.journal.events('reversalAcknowledged')).toHaveLength(1);
  });

  it('a disconnect mid-response owes the reversal too; it is sent after the next sign-on', async () => {
    host.control('fault', { kind: 'disconnect' });
    const reply = await kiosk.tx.perform({ kind: 'withdrawal', card: magstripe(), amountMinor: 50_000 });
    expect(reply).toMatchObject({ action: 'outOfService', linkFailure: 'disconnected' });
    expect(kiosk.queue.outstanding()).toMatchObject([{ state: 'owed', reason: 'noValidResponse' }]);
    await until(() => !kiosk.link.up);
    kiosk.clock.advance(1_000);
    await until(() => kiosk.queue.outstanding().length === 0);
    expect(reversalMtis()).toEqual(['0420']);
    expect(balanceOf(host, CARD.account)).toBe(START);
  });

  it('nothing is owed when the request never left the kiosk', async () => {
    await kiosk.link.stop();
    const reply = await kiosk.tx.perform({ kind: 'withdrawal', card: magstripe(), amountMinor: 50_000 });
    expect(reply).toMatchObject({ action: 'outOfService', responseCode: '91', linkFailure: 'notConnected' });
    expect(kiosk.queue.outstanding()).toEqual([]);
  });
});

describe('after an approval', () => {
  it('partial dispense: the 0420 carries DE95 with the amount dispensed; the host keeps only that', async () => {
    const reply = await kiosk.tx.perform({ kind: 'withdrawal', card: magstripe(), amountMinor: 50_000 });
    reply.settlement!.reverse('partialDispense', 30_000);
    await until(() => kiosk.queue.outstanding().length === 0 && reversalMtis().length === 1);
    const [reversal] = host.store.reversals();
    expect(reversal).toMatchObject({
      mti: '0420',
      reason: '22',
      replacement: `${'30000'.padStart(12, '0')}${'0'.repeat(12)}C00000000C00000000`,
    });
    expect(balanceOf(host, CARD.account)).toBe(START - 30_000);
  });

  it.each([
    ['cardAac', '06'],
    ['cashRetracted', '22'],
  ] as const)('%s: full reversal with DE39 %s and no DE95', async (reason, code) => {
    const reply = await kiosk.tx.perform({ kind: 'withdrawal', card: magstripe(), amountMinor: 50_000 });
    reply.settlement!.reverse(reason);
    await until(() => kiosk.queue.outstanding().length === 0 && reversalMtis().length === 1);
    expect(host.store.reversals()[0]).toMatchObject({ reason: code, replacement: null });
    expect(balanceOf(host, CARD.account)).toBe(START);
  });

  it('a completed transaction can no longer be reversed', async () => {
    const reply = await kiosk.tx.perform({ kind: 'withdrawal', card: magstripe(), amountMinor: 50_000 });
    reply.settlement!.complete();
    reply.settlement!.reverse('cashRetracted');
    expect(kiosk.queue.outstanding()).toEqual([]);
  });

  it('a delayed transfer reversed (card AAC) returns the money and cancels the pending transfer', async () => {
    const reply = await kiosk.tx.perform({
      kind: 'transfer',
      card: magstripe(),
      payeeAccount: '6222020000000003',
      amountMinor: 100_000,
    });
    reply.settlement!.reverse('cardAac');
    await until(() => kiosk.queue.outstanding().length === 0 && reversalMtis().length === 1);
    expect(balanceOf(host, CARD.account)).toBe(START);
    expect(host.store.transfers()).toMatchObject([{ state: 'revoked' }]);
  });
});

describe('across a restart of the link', () => {
  it('an unacknowledged reversal is loaded from SQLite and repeated as 0421 after sign-on', async () => {
    host.control('fault', { kind: 'timeout', mti: '04' });
    const reply = await kiosk.tx.perform({ kind: 'withdrawal', card: magstripe(), amountMinor: 50_000 });
    reply.settlement!.reverse('cashRetracted');
    await until(() => reversalMtis().length === 1);
    await kiosk.close(); // the kiosk goes down before any 0430

    const restarted = await buildKiosk(dir.path, { host: '127.0.0.1', port: host.port }, { pinPad: kiosk.pinPad });
    expect(restarted.queue.outstanding()).toMatchObject([{ state: 'sent', attempts: 1, reason: 'cashRetracted' }]);
    // The persisted backoff still holds after the restart: nothing is sent until it has passed.
    await connect(restarted);
    expect(reversalMtis()).toEqual(['0420']);
    restarted.clock.advance(10_000);
    await until(() => restarted.queue.outstanding().length === 0);
    expect(reversalMtis()).toEqual(['0420', '0421']);
    expect(balanceOf(host, CARD.account)).toBe(START);
    kiosk = restarted;
  });

  it('the link file holds no PAN digits, and after a restart the 0420 still carries the right DE2', async () => {
    host.control('fault', { kind: 'timeout' });
    const pending = kiosk.tx.perform({ kind: 'withdrawal', card: magstripe(), amountMinor: 50_000 });
    await until(() => receivedOf('0200').length === 1);
    kiosk.sender.stop(); // the kiosk goes down before its first 0420
    kiosk.clock.advance(5_000); // no answer: the reversal is owed
    expect(await pending).toMatchObject({ responseCode: '68' });
    await kiosk.close();
    expect(linkFileBytes()).not.toContain(CARD.pan);
    expect(linkFileBytes()).not.toContain('3012'); // nor the expiry

    const restarted = await buildKiosk(dir.path, { host: '127.0.0.1', port: host.port }, { pinPad: kiosk.pinPad });
    await connect(restarted);
    await until(() => restarted.queue.outstanding().length === 0);
    expect(receivedOf('0420').map((m) => m.fields.get(2))).toEqual([CARD.pan]);
    expect(balanceOf(host, CARD.account)).toBe(START);
    kiosk = restarted;
  });

  it('a link file the previous version wrote (PAN in clear) still opens; the PAN gets sealed and the 0420 goes with it', async () => {
    host.control('fault', { kind: 'timeout' });
    const pending = kiosk.tx.perform({ kind: 'withdrawal', card: magstripe(), amountMinor: 50_000 });
    await until(() => receivedOf('0200').length === 1);
    kiosk.sender.stop();
    kiosk.clock.advance(5_000);
    await pending;
    await kiosk.close();
    // The same owed reversal as the previous version stored it: its table, every kept field in clear.
    const original = receivedOf('0200')[0]!;
    const kept = [2, 3, 4, 7, 11, 12, 13, 14, 22, 23, 25, 32, 37, 41, 42, 43, 49, 102, 103];
    const fields = Object.fromEntries(kept.filter((id) => original.fields.has(id)).map((id) => [id, original.fields.get(id)]));
    for (const f of [linkFile(), `${linkFile()}-wal`, `${linkFile()}-shm`]) rmSync(f, { force: true });
    const legacy = openLinkDb(linkFile());
    legacy.pragma('secure_delete = OFF');
    legacy.exec(`CREATE TABLE reversals (id INTEGER PRIMARY KEY AUTOINCREMENT, state TEXT NOT NULL, reason TEXT,
      original TEXT NOT NULL, dispensed_minor INTEGER, stan TEXT, attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`);
    legacy.prepare(`INSERT INTO counters (name, value) VALUES ('stan', ?)`).run(Number(original.fields.get(11)));
    legacy
      .prepare(`INSERT INTO reversals (state, reason, original, created_at, updated_at) VALUES ('owed', 'timeout', ?, 0, 0)`)
      .run(JSON.stringify({ mti: '0200', fields }));
    legacy.close();
    expect(linkFileBytes()).toContain(CARD.pan);

    const restarted = await buildKiosk(dir.path, { host: '127.0.0.1', port: host.port }, { pinPad: kiosk.pinPad });
    await connect(restarted);
    await until(() => restarted.queue.outstanding().length === 0);
    expect(receivedOf('0420').map((m) => m.fields.get(2))).toEqual([CARD.pan]);
    expect(balanceOf(host, CARD.account)).toBe(START);
    await restarted.close();
    expect(linkFileBytes()).not.toContain(CARD.pan);
    kiosk = await buildKiosk(dir.path, { host: '127.0.0.1', port: host.port }, { pinPad: kiosk.pinPad });
  });

  it('a PIN pad that lost its storage key opens no sealed field: money-moving requests stay in the kiosk (91)', async () => {
    expect((await kiosk.tx.perform({ kind: 'withdrawal', card: magstripe(), amountMinor: 50_000 })).action).toBe('approve');
    await kiosk.close();
    expect((await kiosk.pinPad.deleteKey({ key: 'DSK' }, new AbortController().signal)).completionCode).toBe('success');

    const restarted = await buildKiosk(dir.path, { host: '127.0.0.1', port: host.port }, { pinPad: kiosk.pinPad });
    await connect(restarted);
    const sent = host.received.length;
    const reply = await restarted.tx.perform({ kind: 'withdrawal', card: magstripe(), amountMinor: 50_000 });
    expect(reply).toMatchObject({ action: 'outOfService', responseCode: '91', linkFailure: 'securityModule' });
    expect(restarted.journal.events('reversalNotRecorded')).toHaveLength(1);
    expect(host.received.length).toBe(sent);
    expect((await restarted.tx.perform({ kind: 'balance', card: magstripe() })).action).toBe('approve');
    kiosk = restarted;
  });

  it('a reversal still "prepared" when the process died becomes owed on recovery and is sent', async () => {
    host.control('fault', { kind: 'timeout' });
    // What HostTransactions does up to the send, without its catch: the process dies while waiting.
    const { link, queue, pins } = kiosk;
    const stan = link.sequences.nextStan();
    const request = buildRequest(
      {
        kind: 'withdrawal',
        card: magstripe(),
        amountMinor: 50_000,
        pinBlock: await pins.pinBlock({ pan: CARD.pan, purpose: 'current' }),
      },
      { terminal: link.terminal, stan, rrn: link.sequences.rrn(stan), epochMs: link.clock.now() },
    );
    await queue.prepare(request);
    void link.request(request).catch(() => undefined);
    await until(() => host.received.length === 2);
    await kiosk.close();

    const restarted = await buildKiosk(dir.path, { host: '127.0.0.1', port: host.port }, { pinPad: kiosk.pinPad });
    expect(restarted.queue.recoverInterrupted()).toBe(1);
    await connect(restarted);
    await until(() => restarted.queue.outstanding().length === 0);
    expect(host.store.reversals()).toMatchObject([{ mti: '0420', reason: '68' }]);
    expect(balanceOf(host, CARD.account)).toBe(START);
    // The STAN counter continued where the first process stopped.
    expect(Number(host.store.reversals()[0]!.stan)).toBeGreaterThan(Number(host.store.reversals()[0]!.originalStan));
    kiosk = restarted;
  });
});
