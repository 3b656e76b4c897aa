import { Buffer } from 'node:buffer';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../drivers/common/clock.js';
import { deriveCommonSessionKey, deriveIccMasterKey, generateAc, generateArpcMethod1 } from '../../main/crypto/emv.js';
import { kcv } from '../../main/crypto/kcv.js';
import { retailMac } from '../../main/crypto/mac.js';
import { decipherPinBlock } from '../../main/crypto/pin-block.js';
import { tdes, withOddParity } from '../../main/crypto/tdes.js';
import { DEFAULT_DAILY_LIMIT_MINOR, pinHash, type BankStore, type Effect } from './bank-store.js';
import { DEMO_DISPENSER_HOST_KEY, DISPENSE_NONCE, signDispenseToken } from './dispense-token.js';
import { parseTlv, tlv } from './tlv.js';
import { encodeWire, macCovered, type WireMessage } from './wire.js';

export interface IssuerOptions {
  readonly store: BankStore;
  readonly clock: Clock;
  /** Terminal master key: sign-on sends the working keys under it. */
  readonly tmk: Uint8Array;
  /** Issuer master key for application cryptograms (EMV option A derivation per card). */
  readonly imk: Uint8Array;
  /** XFSAuthenticateHost, shared with the cash dispensers: signs dispense tokens. Default DEMO_DISPENSER_HOST_KEY. */
  readonly dispenserHostKey?: Uint8Array;
  /** Offer real-time transfers to other accounts once the customer confirmed the masked payee name. */
  readonly realTimeOnConfirmation?: boolean;
  readonly random?: (length: number) => Uint8Array;
}

const PIN_TRIES = 3;
const LARGE_CASH_MINOR = 5_000_000;
const TRANSFER_DELAY_MS = 24 * 3_600_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;
const STATEMENT_LINES = 10;
/** The CDOL1 data the ARQC covers: EMV Book 2 §8.1.1's minimum set, in order (the §4.3 vector's layout). */
const ARQC_TAGS = ['9F02', '9F03', '9F1A', '95', '5F2A', '9A', '9C', '9F37', '82', '9F36'];

const two = (n: number): string => String(n).padStart(2, '0');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

/** Masks a holder name the way 261/85 confirmation screens show it: only the last character. */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? name : '*'.repeat(chars.length - 1) + chars[chars.length - 1]!;
}

/** DE48 items `TT LLL value`, the kiosk's private agreement (docs/host-link.md). */
function privateItems(items: readonly (readonly [string, string])[]): string {
  return items.map(([t, v]) => t + String(v.length).padStart(3, '0') + v).join('');
}

function readPrivate(de48: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  let at = 0;
  while (de48 !== undefined && at + 5 <= de48.length) {
    const length = Number(de48.slice(at + 2, at + 5));
    if (!Number.isInteger(length)) break;
    out.set(de48.slice(at, at + 2), de48.slice(at + 5, at + 5 + length));
    at += 5 + length;
  }
  return out;
}

type Outcome = { code: string; fields?: [number, string][]; effect?: Effect };

/**
 * The simulated issuer and switch: signs terminals on, checks MACs, PINs, limits and ARQCs,
 * moves money, applies the PBOC transfer delay, undoes reversed requests and flags large cash.
 */
export class Issuer {
  readonly #o: IssuerOptions;
  readonly #random: (length: number) => Uint8Array;
  readonly #dispenserHostKey: Uint8Array;
  /** Requests whose ARQC did not verify, for the snapshot. */
  arqcFailures = 0;

  constructor(options: IssuerOptions) {
    this.#o = options;
    this.#random = options.random ?? ((n) => randomBytes(n));
    this.#dispenserHostKey = options.dispenserHostKey ?? DEMO_DISPENSER_HOST_KEY;
  }

  /** The answer's skeleton: request MTI + 10, echoed identifiers, DE39. */
  baseResponse(request: WireMessage, code: string): WireMessage {
    const fields = new Map<number, string>();
    for (const id of [2, 3, 4, 7, 11, 12, 13, 37, 41, 42, 49, 70, 90]) {
      const v = request.fields.get(id);
      if (v !== undefined) fields.set(id, v);
    }
    fields.set(39, code);
    const mti = request.mti.slice(0, 2) + String(Number(request.mti[2]) + 1) + '0';
    return { mti, fields };
  }

  /** MAC under the terminal's MAK (ISO 9797-1 alg 3, padding 1) over everything before the MAC field. */
  seal(message: WireMessage, terminal: string): WireMessage {
    const keys = this.#o.store.terminalKeys(terminal);
    if (keys === undefined) return message;
    const id = [...message.fields.keys()].some((f) => f > 64) ? 128 : 64;
    const fields = new Map(message.fields);
    fields.set(id, '0'.repeat(16));
    const draft = encodeWire({ mti: message.mti, fields });
    fields.set(id, hex(retailMac(keys.mak, macCovered(draft), 1)));
    return { mti: message.mti, fields };
  }

  macValid(raw: Uint8Array, request: WireMessage, terminal: string): boolean {
    const keys = this.#o.store.terminalKeys(terminal);
    const given = request.fields.get(128) ?? request.fields.get(64);
    if (keys === undefined || given === undefined) return false;
    return timingSafeEqual(retailMac(keys.mak, macCovered(raw), 1), Buffer.from(given, 'hex'));
  }

  /** Answers one request; null when there is nothing to say (an 0810 or other response sent to us). */
  handle(request: WireMessage, raw: Uint8Array): { response: WireMessage; mac: boolean } | null {
    const terminal = (request.fields.get(41) ?? '').trimEnd();
    this.settleDueTransfers();
    if (request.mti === '0800') return { response: this.#network(request, terminal), mac: false };
    const fn = request.mti[2];
    if (fn !== '0' && fn !== '2') return null;
    if (!this.macValid(raw, request, terminal)) return { response: this.baseResponse(request, 'A0'), mac: false };
    const stan = request.fields.get(11) ?? '';
    if (request.mti === '0420' || request.mti === '0421')
      return { response: this.#reversal(request, terminal, stan), mac: true };
    if (this.#o.store.processed(terminal, stan, request.mti) !== undefined)
      return { response: this.baseResponse(request, '94'), mac: true };
    const outcome = this.#financial(request, terminal);
    this.#o.store.recordProcessed(terminal, stan, request.mti, outcome.code === '00' ? (outcome.effect ?? null) : null);
    const response = this.baseResponse(request, outcome.code);
    if (outcome.code === '00') response.fields.set(38, String(Number(stan) % 1_000_000).padStart(6, '0'));
    for (const [id, v] of outcome.fields ?? []) response.fields.set(id, v);
    return { response, mac: true };
  }

  /**
   * The `tokenTamper` fault: the approved withdrawal's token re-signed, correctly, on another nonce
   * — what a confused or compromised switch might return; only the kiosk's nonce check catches it.
   */
  tamperDispenseToken(response: WireMessage): void {
    const items = readPrivate(response.fields.get(48));
    const token = items.get('DT');
    if (token === undefined) return;
    const nonce = /^NONCE=([0-9A-F]+),/.exec(token)?.[1] ?? '0';
    const other = nonce.slice(0, -1) + (nonce.endsWith('0') ? '1' : '0');
    items.set('DT', signDispenseToken(other, Number(response.fields.get(4) ?? '0'), this.#dispenserHostKey));
    response.fields.set(48, privateItems([...items]));
  }

  // ---- network management ----

  #network(request: WireMessage, terminal: string): WireMessage {
    const code = request.fields.get(70);
    if (code !== '001') return this.baseResponse(request, code === '301' ? '00' : '12');
    const newKey = (): Buffer => withOddParity(this.#random(16));
    const pik = newKey();
    const mak = newKey();
    this.#o.store.putTerminalKeys(terminal, hex(pik), hex(mak));
    const tmk = tdes(this.#o.tmk);
    const check = (k: Uint8Array): string => hex(kcv(tdes(k), { length: 4 }));
    const response = this.baseResponse(request, '00');
    response.fields.set(53, '2600000000000000');
    response.fields.set(62, hex(tmk.encrypt(pik)) + check(pik) + hex(tmk.encrypt(mak)) + check(mak));
    return response;
  }

  // ---- financial requests ----

  #day(): string {
    const d = new Date(this.#o.clock.now() + CHINA_OFFSET_MS);
    return `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}`;
  }

  #pinCheck(
    pan: string,
    epbHex: string | undefined,
    terminal: string,
    expectedHash: string,
    tries: number,
    setTries: (tries: number) => void = (n) => this.#o.store.setPinTries(pan, n),
  ): string | null {
    const store = this.#o.store;
    if (tries >= PIN_TRIES) return '75';
    const pik = store.terminalKeys(terminal)?.pik;
    let pin: string | null = null;
    try {
      if (pik !== undefined && epbHex !== undefined)
        pin = decipherPinBlock(tdes(pik), 0, Buffer.from(epbHex, 'hex'), pan);
    } catch {
      pin = null;
    }
    if (pin !== null && timingSafeEqual(Buffer.from(pinHash(pan, pin)), Buffer.from(expectedHash))) {
      if (tries > 0) setTries(0);
      return null;
    }
    setTries(tries + 1);
    return tries + 1 >= PIN_TRIES ? '75' : '55';
  }

  /** ARQC check and ARPC (method 1, ARC = the response code in ASCII) for DE55; null when the ARQC fails. */
  #issuerAuthentication(pan: string, psn: string, de55: string): ((code: string) => string) | null {
    const tags = parseTlv(de55);
    const arqc = tags?.get('9F26');
    const atc = tags?.get('9F36');
    if (
      tags === null ||
      tags === undefined ||
      arqc === undefined ||
      atc === undefined ||
      ARQC_TAGS.some((t) => !tags.has(t))
    )
      return null;
    const sessionKey = deriveCommonSessionKey(deriveIccMasterKey(this.#o.imk, pan, psn), Buffer.from(atc, 'hex'));
    const expected = generateAc(sessionKey, Buffer.from(ARQC_TAGS.map((t) => tags.get(t)!).join(''), 'hex'));
    if (!timingSafeEqual(expected, Buffer.from(arqc, 'hex'))) return null;
    return (code) => {
      const arc = Buffer.from(code, 'ascii');
      return tlv('91', hex(generateArpcMethod1(sessionKey, Buffer.from(arqc, 'hex'), arc)) + hex(arc));
    };
  }

  #financial(request: WireMessage, terminal: string): Outcome {
    const store = this.#o.store;
    const extra = readPrivate(request.fields.get(48));
    if ((request.fields.get(3) ?? '').startsWith('39')) return this.#appointmentLookup(extra.get('AC') ?? '');
    const appointmentRef = extra.get('AR');
    if (!request.fields.has(2) && appointmentRef !== undefined)
      return this.#appointmentWithdrawal(request, terminal, appointmentRef);
    const pan = request.fields.get(2) ?? '';
    const card = store.card(pan);
    if (card === undefined) return { code: '14' };
    if (card.status === 'lost') return { code: '41' };
    const account = store.account(card.account);
    if (account === undefined) return { code: '14' };
    const pinResult = this.#pinCheck(pan, request.fields.get(52), terminal, card.pinHash, card.pinTries);
    if (pinResult !== null) return { code: pinResult };
    const de55 = request.fields.get(55);
    const arpc = de55 === undefined ? undefined : this.#issuerAuthentication(pan, card.psn, de55);
    if (arpc === null) {
      this.arqcFailures++;
      return { code: '05' };
    }
    const outcome = this.#service(request, card, account.number);
    return arpc === undefined ? outcome : { ...outcome, fields: [...(outcome.fields ?? []), [55, arpc(outcome.code)]] };
  }

  #service(request: WireMessage, card: { pan: string; dailyLimitMinor: number }, account: string): Outcome {
    const store = this.#o.store;
    const now = this.#o.clock.now();
    const amount = Number(request.fields.get(4) ?? '0');
    const type = (request.fields.get(3) ?? '').slice(0, 2);
    const balance = (): number => store.account(account)!.balanceMinor;
    const day = this.#day();
    const extra = readPrivate(request.fields.get(48));
    switch (type) {
      case '01': {
        const nonce = extra.get('DN');
        if (nonce !== undefined && !DISPENSE_NONCE.test(nonce)) return { code: '30' };
        if (store.usage(card.pan, day).withdrawn + amount > card.dailyLimitMinor) return { code: '61' };
        if (balance() < amount) return { code: '51' };
        store.post(account, -amount, 'ATM WITHDRAWAL', now);
        this.#cash(card.pan, day, amount, amount, now);
        // The token lets the dispenser pay this amount once, on the nonce it issued; no nonce, no token.
        const token: [number, string][] =
          nonce === undefined
            ? []
            : [[48, privateItems([['DT', signDispenseToken(nonce, amount, this.#dispenserHostKey)]])]];
        return {
          code: '00',
          fields: [[54, this.#balances(balance())], ...token],
          effect: { kind: 'debit', account, pan: card.pan, day, amountMinor: amount, cash: true },
        };
      }
      case '21': {
        store.post(account, amount, 'ATM DEPOSIT', now);
        this.#cash(card.pan, day, 0, amount, now);
        return {
          code: '00',
          fields: [[54, this.#balances(balance())]],
          effect: { kind: 'credit', account, pan: card.pan, day, amountMinor: amount, cash: true },
        };
      }
      case '31':
        return { code: '00', fields: [[54, this.#balances(balance())]] };
      case '38': {
        const lines = store
          .statement(account, STATEMENT_LINES)
          .map(({ at, amount: a, description }): [string, string] => {
            const d = new Date(at + CHINA_OFFSET_MS);
            const date = `${two(d.getUTCFullYear() % 100)}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}`;
            return [
              'SL',
              `${date}${a < 0 ? 'D' : 'C'}${String(Math.abs(a)).padStart(12, '0')}${description.slice(0, 20)}`,
            ];
          });
        return { code: '00', fields: lines.length > 0 ? [[48, privateItems(lines)]] : [] };
      }
      case '40':
        return this.#transfer(request, account, amount, extra, now);
      case '49': {
        const reference = extra.get('TR') ?? '';
        const t = store.transfers('reference = ? AND from_account = ?', reference, account)[0];
        if (t === undefined || t.state !== 'pending' || now >= t.executeAt) return { code: '12' };
        store.putTransfer({ ...t, state: 'revoked' });
        store.post(t.from, t.amountMinor, 'TRANSFER REVOKED', now);
        return { code: '00', fields: [[54, this.#balances(balance())]] };
      }
      case '70': {
        const keys = store.terminalKeys((request.fields.get(41) ?? '').trimEnd());
        try {
          const pin = decipherPinBlock(tdes(keys!.pik), 0, Buffer.from(extra.get('NP') ?? '', 'hex'), card.pan);
          store.setPin(card.pan, pin);
          return { code: '00' };
        } catch {
          return { code: '30' };
        }
      }
      default:
        return { code: '12' };
    }
  }

  // ---- cardless withdrawals booked in the bank's app ----

  /** Why an appointment cannot be paid out now: 14 unknown, 12 already paid out, 54 lapsed, 75 PIN tries used up. */
  #appointmentRefusal(a: { usedAt: number | null; expiresAt: number; pinTries: number } | undefined): string | null {
    if (a === undefined) return '14';
    if (a.usedAt !== null) return '12';
    if (this.#o.clock.now() >= a.expiresAt) return '54';
    return a.pinTries >= PIN_TRIES ? '75' : null;
  }

  /** Processing code 39: what the code books — DE4 the amount, DE102 the account, DE48 AR the reference. */
  #appointmentLookup(code: string): Outcome {
    const a = this.#o.store.appointment('code', code);
    const refused = this.#appointmentRefusal(a);
    if (refused !== null || a === undefined) return { code: refused ?? '14' };
    return {
      code: '00',
      fields: [
        [4, String(a.amountMinor).padStart(12, '0')],
        [48, privateItems([['AR', a.reference]])],
        [102, a.account],
      ],
    };
  }

  /** A withdrawal with DE48 AR and no card: the booked amount only, the app's PIN, once. */
  #appointmentWithdrawal(request: WireMessage, terminal: string, reference: string): Outcome {
    const store = this.#o.store;
    const a = store.appointment('reference', reference);
    const refused = this.#appointmentRefusal(a);
    if (refused !== null || a === undefined) return { code: refused ?? '14' };
    const type = (request.fields.get(3) ?? '').slice(0, 2);
    if (type !== '01' || Number(request.fields.get(4) ?? '0') !== a.amountMinor) return { code: '12' };
    // The kiosk's format 0 PIN block uses the account digits as its PAN field (docs/host-link.md).
    const pinResult = this.#pinCheck(a.account, request.fields.get(52), terminal, a.pinHash, a.pinTries, (n) =>
      store.setAppointmentPinTries(reference, n),
    );
    if (pinResult !== null) return { code: pinResult };
    const outcome = this.#service(request, { pan: a.account, dailyLimitMinor: DEFAULT_DAILY_LIMIT_MINOR }, a.account);
    if (outcome.code !== '00' || outcome.effect?.kind !== 'debit') return outcome;
    store.setAppointmentUsed(reference, this.#o.clock.now());
    return { ...outcome, effect: { ...outcome.effect, appointment: reference } };
  }

  #transfer(request: WireMessage, account: string, amount: number, extra: Map<string, string>, now: number): Outcome {
    const store = this.#o.store;
    const payer = store.account(account)!;
    const payee = store.account(request.fields.get(103) ?? '');
    if (payee === undefined) return { code: '25' };
    const own = payee.sameBank && payee.owner === payer.owner;
    const name: [string, string] = ['PN', Buffer.from(maskName(payee.name), 'utf8').toString('hex').toUpperCase()];
    const offered: [string, string][] = !own && this.#o.realTimeOnConfirmation === true ? [['RT', '1']] : [];
    if (request.mti === '0100')
      return { code: '00', fields: [[48, privateItems([name, ['TM', own ? 'R' : 'D'], ...offered])]] };
    if (payer.balanceMinor < amount) return { code: '51' };
    const realTime = own || (offered.length > 0 && extra.get('RT') === '1');
    const reference = `T${request.fields.get(41)?.trimEnd() ?? ''}${request.fields.get(11) ?? ''}${two(now % 100)}`;
    const executeAt = realTime ? now : now + TRANSFER_DELAY_MS;
    store.post(account, -amount, 'TRANSFER OUT', now);
    store.putTransfer({
      reference,
      from: account,
      to: payee.number,
      amountMinor: amount,
      acceptedAt: now,
      executeAt,
      state: realTime ? 'executed' : 'pending',
    });
    if (realTime) store.post(payee.number, amount, 'TRANSFER IN', now);
    const e = new Date(executeAt);
    const ex = `${e.getUTCFullYear()}${two(e.getUTCMonth() + 1)}${two(e.getUTCDate())}${two(e.getUTCHours())}${two(e.getUTCMinutes())}${two(e.getUTCSeconds())}`;
    const items: [string, string][] = [
      name,
      ['TM', realTime ? 'R' : 'D'],
      ['TR', reference],
      ...(realTime ? [] : [['EX', ex] as [string, string]]),
    ];
    return {
      code: '00',
      fields: [
        [48, privateItems(items)],
        [54, this.#balances(store.account(account)!.balanceMinor)],
      ],
      effect: { kind: 'transfer', reference },
    };
  }

  /** DE54: savings ledger (01) and available (02) in CNY. */
  #balances(minor: number): string {
    const group = (type: string): string =>
      `10${type}156${minor < 0 ? 'D' : 'C'}${String(Math.abs(minor)).padStart(12, '0')}`;
    return group('01') + group('02');
  }

  /** PBOC Order 〔2016〕3: cash of 50,000 CNY or more in a day is recorded for reporting. */
  #cash(pan: string, day: string, withdrawn: number, cash: number, now: number): void {
    const store = this.#o.store;
    store.addUsage(pan, day, withdrawn, cash);
    const usage = store.usage(pan, day);
    if (!usage.flagged && usage.cash >= LARGE_CASH_MINOR) store.flagLargeCash(pan, day, usage.cash, now);
  }

  /** Delayed transfers whose 24 hours have passed are executed. */
  settleDueTransfers(): void {
    const store = this.#o.store;
    const now = this.#o.clock.now();
    for (const t of store.transfers(`state = 'pending' AND execute_at <= ?`, now)) {
      store.putTransfer({ ...t, state: 'executed' });
      if (store.account(t.to)?.sameBank) store.post(t.to, t.amountMinor, 'TRANSFER IN', now);
    }
  }

  // ---- reversals ----

  #reversal(request: WireMessage, terminal: string, stan: string): WireMessage {
    const store = this.#o.store;
    const de90 = request.fields.get(90) ?? '';
    const originalMti = de90.slice(0, 4);
    const originalStan = de90.slice(4, 10);
    const replacement = request.fields.get(95);
    store.recordReversal({
      terminal,
      stan,
      mti: request.mti,
      originalStan,
      reason: request.fields.get(39),
      replacement,
      at: this.#o.clock.now(),
    });
    const original = store.processed(terminal, originalStan, originalMti);
    if (original === undefined) return this.baseResponse(request, '25');
    if (!original.reversed && original.effect !== null) {
      const kept = replacement === undefined ? 0 : Number(replacement.slice(0, 12));
      this.#undo(original.effect, kept);
      store.markReversed(terminal, originalStan, originalMti);
    }
    return this.baseResponse(request, '00');
  }

  /** Undoes what a request did, except `keptMinor` (cash that really left the kiosk). */
  #undo(effect: Effect, keptMinor: number): void {
    const store = this.#o.store;
    const now = this.#o.clock.now();
    if (effect.kind === 'transfer') {
      const t = store.transfers('reference = ?', effect.reference)[0];
      if (t === undefined || t.state === 'revoked') return;
      if (t.state === 'executed' && store.account(t.to)?.sameBank)
        store.post(t.to, -t.amountMinor, 'TRANSFER REVERSED', now);
      store.putTransfer({ ...t, state: 'revoked' });
      store.post(t.from, t.amountMinor, 'TRANSFER REVERSED', now);
      return;
    }
    const undone = effect.amountMinor - keptMinor;
    const sign = effect.kind === 'debit' ? 1 : -1;
    store.post(effect.account, sign * undone, 'REVERSAL', now);
    // No cash left the kiosk: the customer may use the appointment again.
    if (effect.kind === 'debit' && effect.appointment !== undefined && keptMinor === 0)
      store.setAppointmentUsed(effect.appointment, null);
    if (effect.cash) store.addUsage(effect.pan, effect.day, effect.kind === 'debit' ? -undone : 0, -undone);
  }
}
