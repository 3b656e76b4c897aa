/**
 * Reversals end to end: persisted before the request, owed on timeout, dispense faults, card AAC
 * and retracted cash, sent as 0420 then 0421 until a 0430 arrives, across a restart of the link.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRequest } from '../../main/host-link/index.js';
import type { HostSimulator } from '../../simulators/host/host-sim.js';
import {
  CARD,
  balanceOf,
  buildKiosk,
  connect,
  magstripe,
  startHost,
  tempDir,
  until,
  type Kiosk,
} from './host-support.js';

let dir: ReturnType<typeof tempDir>;
let host: HostSimulator;
let kiosk: Kiosk;
const START = 5_000_000;

beforeEach(async () => {
  dir = tempDir('host-rev-');
  host = await startHost(dir.path);
  kiosk = buildKiosk(dir.path, { host: '127.0.0.1', port: host.port });
  await connect(kiosk);
});

afterEach(async () => {
  await kiosk.close();
  await host.close();
  dir.remove();
});

const reversalMtis = (): string[] => host.store.reversals().map((r) => r.mti);

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

    const restarted = buildKiosk(dir.path, { host: '127.0.0.1', port: host.port });
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

  it('a reversal still "prepared" when the process died becomes owed on recovery and is sent', async () => {
    host.control('fault', { kind: 'timeout' });
    // What HostTransactions does up to the send, without its catch: the process dies while waiting.
    const { link, queue, security } = kiosk;
    const stan = link.sequences.nextStan();
    const request = buildRequest(
      {
        kind: 'withdrawal',
        card: magstripe(),
        amountMinor: 50_000,
        pinBlock: security.encipherPin(CARD.pin, CARD.pan),
      },
      { terminal: link.terminal, stan, rrn: link.sequences.rrn(stan), epochMs: link.clock.now() },
    );
    queue.prepare(request);
    void link.request(request).catch(() => undefined);
    await until(() => host.received.length === 2);
    await kiosk.close();

    const restarted = buildKiosk(dir.path, { host: '127.0.0.1', port: host.port });
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
