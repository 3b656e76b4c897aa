/**
 * The host link against the host simulator over real TCP on loopback: sign-on with key exchange,
 * every service approved and declined, PIN tries, limits, the PBOC transfer rule, large cash and
 * EMV issuer authentication.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kcv } from '../../main/crypto/kcv.js';
import { tdes } from '../../main/crypto/tdes.js';
import { generateArpcMethod1, deriveCommonSessionKey, deriveIccMasterKey } from '../../main/crypto/emv.js';
import { DEMO_IMK } from '../../simulators/host/host-sim.js';
import {
  CARD,
  OTHER_CUSTOMER_ACCOUNT,
  OWN_SECOND_ACCOUNT,
  POOR_CARD,
  balanceOf,
  buildKiosk,
  chip,
  closeLinkRig,
  connect,
  magstripe,
  openLinkRig,
  startHost,
  tempDir,
  until,
  type Kiosk,
  type LinkRig,
} from './host-support.js';

let dir: LinkRig['dir'];
let host: LinkRig['host'];
let kiosk: Kiosk;

beforeEach(async () => {
  ({ dir, host, kiosk } = await openLinkRig('host-link-'));
});
afterEach(() => closeLinkRig({ dir, host, kiosk }));

describe('sign-on', () => {
  it('installs the PIK and MAK the host issued, after checking their KCVs', () => {
    const keys = host.store.terminalKeys('ATM00001')!;
    const installed = kiosk.journal.events('workingKeysInstalled');
    expect(installed).toHaveLength(1);
    expect(installed[0]!.payload).toMatchObject({
      pikKcv: kcv(tdes(keys.pik), { length: 4 }).toString('hex').toUpperCase(),
      makKcv: kcv(tdes(keys.mak), { length: 4 }).toString('hex').toUpperCase(),
    });
    expect(kiosk.security.ready).toBe(true);
  });

  it('refuses keys that do not check under its TMK and stays down', async () => {
    const wrong = await buildKiosk(dir.path, { host: '127.0.0.1', port: host.port }, { tmk: Buffer.alloc(16, 0x11) });
    const statuses: boolean[] = [];
    wrong.link.onStatus((up) => statuses.push(up));
    wrong.link.start();
    await until(() => wrong.journal.events('signOnFailed').length > 0);
    expect(wrong.journal.events('signOnFailed')[0]!.payload).toMatchObject({ code: 'keyCheck' });
    expect(wrong.link.up).toBe(false);
    expect(statuses).toEqual([]);
    expect(wrong.security.ready).toBe(false);
    await wrong.close();
  });

  it('reports up and down as the connection comes and goes, and signs on again', async () => {
    const statuses: boolean[] = [];
    kiosk.link.onStatus((up) => statuses.push(up));
    host.dropConnections();
    await until(() => !kiosk.link.up);
    kiosk.clock.advance(1_000); // reconnect backoff
    await until(() => kiosk.link.up);
    expect(statuses).toEqual([false, true]);
    expect(kiosk.journal.events('workingKeysInstalled')).toHaveLength(2);
  });
});

describe('withdrawal', () => {
  it('is approved, debits the account and cancels its prepared reversal once completed', async () => {
    const before = balanceOf(host, CARD.account);
    const reply = await kiosk.tx.perform({ kind: 'withdrawal', card: magstripe(), amountMinor: 50_000 });
    expect(reply).toMatchObject({ action: 'approve', responseCode: '00', availableBalanceMinor: before - 50_000 });
    expect(reply.authCode).toMatch(/^\d{6}$/);
    expect(balanceOf(host, CARD.account)).toBe(before - 50_000);
    expect(kiosk.queue.get(reply.settlement!.reversalId)!.state).toBe('prepared');
    reply.settlement!.complete();
    expect(kiosk.queue.get(reply.settlement!.reversalId)!.state).toBe('canceled');
  });

  it('is declined 51 for insufficient funds, with nothing left to reverse', async () => {
    const reply = await kiosk.tx.perform({ kind: 'withdrawal', card: magstripe(POOR_CARD.pan), amountMinor: 10_000 });
    kiosk.pins.current = POOR_CARD.pin;
    const withPin = await kiosk.tx.perform({ kind: 'withdrawal', card: magstripe(POOR_CARD.pan), amountMinor: 10_000 });
    expect(reply.action).toBe('wrongPin'); // the pad still held the first card's PIN
    expect(withPin).toMatchObject({ action: 'insufficientFunds', responseCode: '51' });
    expect(withPin.settlement).toBeUndefined();
    expect(kiosk.queue.outstanding()).toEqual([]);
  });

  it('is refused 61 over the 20,000 CNY daily limit', async () => {
    expect((await kiosk.tx.perform({ kind: 'withdrawal', card: magstripe(), amountMinor: 1_500_000 })).action).toBe(
      'approve',
    );
    const reply = await kiosk.tx.perform({ kind: 'withdrawal', card: magstripe(), amountMinor: 600_000 });
    expect(reply).toMatchObject({ action: 'limitExceeded', responseCode: '61' });
  });

  it('counts PIN tries: 55, 55, then 75, and 75 even for the right PIN afterwards', async () => {
    kiosk.pins.current = '999999';
    const codes = [];
    for (let i = 0; i < 3; i++)
      codes.push((await kiosk.tx.perform({ kind: 'balance', card: magstripe() })).responseCode);
    kiosk.pins.current = CARD.pin;
    codes.push((await kiosk.tx.perform({ kind: 'balance', card: magstripe() })).responseCode);
    expect(codes).toEqual(['55', '55', '75', '75']);
    expect((await kiosk.tx.perform({ kind: 'balance', card: magstripe() })).action).toBe('pinTriesExceeded');
  });

  it('a right PIN resets the tries', async () => {
    kiosk.pins.current = '999999';
    await kiosk.tx.perform({ kind: 'balance', card: magstripe() });
    await kiosk.tx.perform({ kind: 'balance', card: magstripe() });
    kiosk.pins.current = CARD.pin;
    expect((await kiosk.tx.perform({ kind: 'balance', card: magstripe() })).action).toBe('approve');
    kiosk.pins.current = '999999';
    expect((await kiosk.tx.perform({ kind: 'balance', card: magstripe() })).responseCode).toBe('55');
  });
});

describe('chip (EMV issuer authentication)', () => {
  it('a good ARQC is approved with tag 91 = ARPC(ARC "00") that the card can check', async () => {
    const reply = await kiosk.tx.perform({ kind: 'withdrawal', card: chip(), amountMinor: 10_000 });
    expect(reply.action).toBe('approve');
    const sk = deriveCommonSessionKey(deriveIccMasterKey(DEMO_IMK, CARD.pan, CARD.psn), Buffer.from('0007', 'hex'));
    const sent = host.received.at(-1)!;
    const arqc = Buffer.from(/9F2608([0-9A-F]{16})/.exec(Buffer.from(sent).toString('latin1'))![1]!, 'hex');
    const arpc = generateArpcMethod1(sk, arqc, Buffer.from('00', 'ascii')).toString('hex').toUpperCase();
    expect(Buffer.from(reply.issuerData!).toString('hex').toUpperCase()).toBe(`910A${arpc}3030`);
  });

  it('a wrong ARQC is declined 05 and counted', async () => {
    kiosk.chip.corrupt = true;
    const reply = await kiosk.tx.perform({ kind: 'withdrawal', card: chip(), amountMinor: 10_000 });
    expect(reply).toMatchObject({ action: 'decline', responseCode: '05' });
    expect(host.issuer.arqcFailures).toBe(1);
  });
});

describe('balance, deposit, PIN change, mini-statement', () => {
  it('balance returns ledger and available from DE54; a host malfunction is outOfService', async () => {
    const reply = await kiosk.tx.perform({ kind: 'balance', card: magstripe() });
    expect(reply).toMatchObject({ action: 'approve', ledgerBalanceMinor: 5_000_000, availableBalanceMinor: 5_000_000 });
    host.control('fault', { kind: 'decline', code: '96' });
    expect(await kiosk.tx.perform({ kind: 'balance', card: magstripe() })).toMatchObject({
      action: 'outOfService',
      responseCode: '96',
    });
  });

  it('deposit after counting credits the account; a decline credits nothing', async () => {
    const reply = await kiosk.tx.perform({ kind: 'deposit', card: magstripe(), amountMinor: 300_000 });
    expect(reply.action).toBe('approve');
    reply.settlement!.complete();
    expect(balanceOf(host, CARD.account)).toBe(5_300_000);
    host.control('fault', { kind: 'decline', code: '05' });
    expect((await kiosk.tx.perform({ kind: 'deposit', card: magstripe(), amountMinor: 300_000 })).action).toBe(
      'decline',
    );
    expect(balanceOf(host, CARD.account)).toBe(5_300_000);
  });

  it('PIN change: the new PIN works, the old one no longer does', async () => {
    expect((await kiosk.tx.perform({ kind: 'pinChange', card: magstripe() })).action).toBe('approve');
    expect((await kiosk.tx.perform({ kind: 'balance', card: magstripe() })).responseCode).toBe('55');
    kiosk.pins.current = kiosk.pins.next;
    expect((await kiosk.tx.perform({ kind: 'balance', card: magstripe() })).action).toBe('approve');
  });

  it('PIN change with a wrong current PIN is refused 55', async () => {
    kiosk.pins.current = '000000';
    expect((await kiosk.tx.perform({ kind: 'pinChange', card: magstripe() })).responseCode).toBe('55');
  });

  it('mini-statement lists the latest movements, newest first', async () => {
    await kiosk.tx.perform({ kind: 'withdrawal', card: magstripe(), amountMinor: 20_000 });
    await kiosk.tx.perform({ kind: 'deposit', card: magstripe(), amountMinor: 10_000 });
    const reply = await kiosk.tx.perform({ kind: 'miniStatement', card: magstripe() });
    expect(reply.action).toBe('approve');
    expect(reply.statement).toEqual([
      { date: '261124', amountMinor: 10_000, description: 'ATM DEPOSIT' },
      { date: '261124', amountMinor: -20_000, description: 'ATM WITHDRAWAL' },
    ]);
  });
});

describe('transfers (银发〔2016〕261号 §8)', () => {
  it('inquiry shows the masked payee name and that the transfer will be delayed', async () => {
    const reply = await kiosk.tx.perform({
      kind: 'transferInquiry',
      card: magstripe(),
      payeeAccount: OTHER_CUSTOMER_ACCOUNT,
      amountMinor: 100_000,
    });
    expect(reply.action).toBe('approve');
    expect(reply.transfer).toMatchObject({ mode: 'delayed', payeeNameMasked: '*四', revocable: true });
    expect(balanceOf(host, CARD.account)).toBe(5_000_000);
  });

  it('to another customer: executes 24 h after acceptance, revocable before then, balance restored', async () => {
    const acceptedAt = host.clock.now();
    const reply = await kiosk.tx.perform({
      kind: 'transfer',
      card: magstripe(),
      payeeAccount: OTHER_CUSTOMER_ACCOUNT,
      amountMinor: 100_000,
    });
    expect(reply.action).toBe('approve');
    expect(reply.transfer).toMatchObject({
      mode: 'delayed',
      revocable: true,
      payeeNameMasked: '*四',
      executeAtMs: acceptedAt + 24 * 3_600_000,
    });
    reply.settlement!.complete();
    expect(balanceOf(host, CARD.account)).toBe(4_900_000);
    expect(balanceOf(host, OTHER_CUSTOMER_ACCOUNT)).toBe(0);

    host.control('advanceClock', { ms: 23 * 3_600_000 });
    const revoked = await kiosk.tx.perform({
      kind: 'transferRevocation',
      card: magstripe(),
      reference: reply.transfer!.reference!,
    });
    expect(revoked.action).toBe('approve');
    expect(balanceOf(host, CARD.account)).toBe(5_000_000);
    host.control('advanceClock', { ms: 2 * 3_600_000 });
    expect(balanceOf(host, OTHER_CUSTOMER_ACCOUNT)).toBe(0);
  });

  it('after 24 h the transfer has executed and can no longer be revoked', async () => {
    const reply = await kiosk.tx.perform({
      kind: 'transfer',
      card: magstripe(),
      payeeAccount: OTHER_CUSTOMER_ACCOUNT,
      amountMinor: 100_000,
    });
    host.control('advanceClock', { ms: 24 * 3_600_000 });
    const late = await kiosk.tx.perform({
      kind: 'transferRevocation',
      card: magstripe(),
      reference: reply.transfer!.reference!,
    });
    expect(late).toMatchObject({ action: 'decline', responseCode: '12' });
    expect(balanceOf(host, OTHER_CUSTOMER_ACCOUNT)).toBe(100_000);
    expect(balanceOf(host, CARD.account)).toBe(4_900_000);
  });

  it("to the customer's own account at the same bank: real time, not revocable", async () => {
    const reply = await kiosk.tx.perform({
      kind: 'transfer',
      card: magstripe(),
      payeeAccount: OWN_SECOND_ACCOUNT,
      amountMinor: 100_000,
    });
    expect(reply.transfer).toMatchObject({ mode: 'realTime', revocable: false });
    expect(balanceOf(host, OWN_SECOND_ACCOUNT)).toBe(200_000);
  });

  it('where the bank offers it, real time after the customer confirmed the masked payee name (〔2019〕85号)', async () => {
    const other = tempDir('host-link-rt-');
    const rtHost = await startHost(other.path, { realTimeOnConfirmation: true });
    const rtKiosk = await buildKiosk(other.path, { host: '127.0.0.1', port: rtHost.port });
    await connect(rtKiosk);
    const inquiry = await rtKiosk.tx.perform({
      kind: 'transferInquiry',
      card: magstripe(),
      payeeAccount: OTHER_CUSTOMER_ACCOUNT,
      amountMinor: 100_000,
    });
    expect(inquiry.transfer).toMatchObject({ mode: 'delayed', realTimeOffered: true, payeeNameMasked: '*四' });
    const reply = await rtKiosk.tx.perform({
      kind: 'transfer',
      card: magstripe(),
      payeeAccount: OTHER_CUSTOMER_ACCOUNT,
      amountMinor: 100_000,
      realTimeConfirmed: true,
    });
    expect(reply.transfer).toMatchObject({ mode: 'realTime', revocable: false });
    expect(balanceOf(rtHost, OTHER_CUSTOMER_ACCOUNT)).toBe(100_000);
    await rtKiosk.close();
    await rtHost.close();
    other.remove();
  });

  it('is declined 51 beyond the balance', async () => {
    const reply = await kiosk.tx.perform({
      kind: 'transfer',
      card: magstripe(),
      payeeAccount: OTHER_CUSTOMER_ACCOUNT,
      amountMinor: 9_000_000,
    });
    expect(reply.action).toBe('insufficientFunds');
    expect(kiosk.queue.outstanding()).toEqual([]);
  });
});

describe('large cash (PBOC Order 〔2016〕3)', () => {
  it('flags a card whose cash for the day reaches 50,000 CNY, once', async () => {
    host.control('addCard', {
      pan: '6212349999999999',
      account: CARD.account,
      pin: CARD.pin,
      dailyLimitMinor: 10_000_000,
    });
    await kiosk.tx.perform({ kind: 'withdrawal', card: magstripe('6212349999999999'), amountMinor: 4_999_900 });
    expect(host.store.largeCash()).toEqual([]);
    await kiosk.tx.perform({ kind: 'deposit', card: magstripe('6212349999999999'), amountMinor: 100 });
    await kiosk.tx.perform({ kind: 'deposit', card: magstripe('6212349999999999'), amountMinor: 100 });
    expect(host.store.largeCash()).toMatchObject([{ pan: '6212349999999999', totalMinor: 5_000_000 }]);
  });
});
