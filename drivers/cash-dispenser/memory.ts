import type { Clock, TimerHandle } from '../common/clock.js';
import { DeviceError, throwIfAborted } from '../common/completion.js';
import { refuse } from '../common/memory-device.js';
import type { CashUnit, CountsDelta, Money } from '../storage/contract.js';
import type { UnitCountChange } from '../storage/memory.js';
import type {
  CashDispenserCapabilities,
  CashDispenserDevice,
  CashDispenserErrorCode,
  CashDispenserEvents,
  CashDispenserStatus,
  CashModuleState,
  DenominateRequest,
  Denomination,
  DispensedNote,
  DispenseRequest,
  DispenseResult,
  ItemsMoved,
  LastDispenseTransaction,
  MixType,
  OutputPosition,
  PositionRequest,
  PresentResult,
  PresentStatus,
  PresentStatusRequest,
  UnitCounts,
} from './contract.js';
import { mix } from './denominate.js';
import type { MixPolicy } from './denominate.js';
import { MemoryCashDevice } from './memory-cash-management.js';
import type { MemoryCashDeviceOptions } from './memory-cash-management.js';
import { constantTimeEqual, buildToken, formatTokenAmount, parseToken, parseTokenAmount, tokenHmac } from './token.js';
import type { HmacSha256 } from './token.js';

/** Dispenser-only faults, on top of shutterJam and itemsTakenDuringRetract. */
export type CashDispenserFault =
  /** A unit stops feeding: the dispense ends early with cashUnitError, the unit goes inoperative. */
  | 'pickFailure'
  /** Two notes stick together: one goes to the reject unit (noteError) and another is picked. */
  | 'doubleNote'
  /** Power fails mid-dispense: the command ends with timeOut and the device is `powerOff`. */
  | 'powerLoss';

export interface EndToEndOptions {
  readonly hmacSha256: HmacSha256;
  /** XFSAuthenticateHost: verifies dispense tokens. */
  readonly hostKey: Uint8Array;
  /** XFSAuthenticateDevice: signs present-status tokens; without it they fail with invalidTokenKeyNoValue. */
  readonly deviceKey?: Uint8Array;
  /** Default true: dispense without a token fails with invalidToken. */
  readonly required?: boolean;
  /** ms; default 0 = the nonce lives until cleared or power is lost. */
  readonly commandNonceTimeout?: number;
}

export interface MemoryCashDispenserOptions extends MemoryCashDeviceOptions {
  readonly clock: Clock;
  /** Default 40, as on common cassette dispensers. */
  readonly maxDispenseItems?: number;
  /** Without it the device has no end-to-end security (`notSupported`). */
  readonly endToEnd?: EndToEndOptions;
  /** Nonce source; default a counter in hex (unique, not secret: a fake needs no more). */
  readonly nextNonce?: () => string;
}

const MIX_TYPES: readonly (MixType & { readonly algorithm: MixPolicy })[] = [
  { mixNumber: 1, algorithm: 'minimumBills', name: 'Minimum number of notes' },
  { mixNumber: 2, algorithm: 'equalEmptying', name: 'Equal emptying of cassettes' },
];

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface NonceState {
  readonly value: string;
  readonly timer?: TimerHandle;
  /** The first valid token on this nonce claims it; others are refused. */
  tokenId?: string;
  /** Cumulative amount dispensed under the claiming token. */
  spent: number;
}

/**
 * In-memory XFS4IoT cash dispenser over a MemoryStorage. It keeps the physical
 * truth (notes with serials in cassettes, stacker, slot, reject bin, the
 * customer's hand via `takeItems`), enforces the cash-out lifecycle and, like
 * dispenser firmware, checks end-to-end tokens itself.
 */
export class MemoryCashDispenser
  extends MemoryCashDevice<CashDispenserStatus, CashDispenserEvents, DispensedNote, CashDispenserFault>
  implements CashDispenserDevice
{
  readonly deviceClass = 'cashDispenser' as const;
  private readonly clock: Clock;
  private readonly maxDispenseItems: number;
  private readonly endToEnd: EndToEndOptions | undefined;
  private readonly nextNonce: () => string;
  private stacker: DispensedNote[] = [];
  /** After a power cut the device cannot vouch for the stacker's contents. */
  private stackerUnknown = false;
  private nonce: NonceState | undefined;
  private nonceCounter = 0;
  private dispenseCounter = 0;
  private last: Mutable<LastDispenseTransaction> | undefined;

  constructor(options: MemoryCashDispenserOptions) {
    super(
      options.id ?? 'cashDispenser',
      {
        device: 'offline',
        devicePosition: 'inPosition',
        dispenser: 'unknown',
        intermediateStacker: 'empty',
        positions: [],
        endToEndSecurity: 'notSupported',
      },
      options,
      ['outDefault'],
      ['retract', 'reject', 'transport', 'stacker'],
    );
    this.clock = options.clock;
    this.maxDispenseItems = options.maxDispenseItems ?? 40;
    this.endToEnd = options.endToEnd;
    this.nextNonce = options.nextNonce ?? (() => (++this.nonceCounter).toString(16).toUpperCase().padStart(32, '0'));
    this.refresh();
  }

  getCapabilities(): CashDispenserCapabilities {
    return {
      maxDispenseItems: this.maxDispenseItems,
      shutterControl: this.shutterControl,
      retractAreas: this.retractAreas,
      outputPositions: ['outDefault'],
      endToEndSecurity: {
        required: this.tokensRequired(),
        commandNonceTimeout: this.endToEnd?.commandNonceTimeout ?? 0,
      },
    };
  }

  // ---- CashDispenserCommands ----

  getMixTypes = (_request: void, signal: AbortSignal) =>
    this.run<readonly MixType[], CashDispenserErrorCode>(signal, () => MIX_TYPES);

  denominate = (request: DenominateRequest, signal: AbortSignal) =>
    this.run<Denomination, CashDispenserErrorCode>(signal, () => {
      this.requireNoExchange();
      return this.denominateNow(request);
    });

  dispense = (request: DispenseRequest, signal: AbortSignal) =>
    this.run<DispenseResult, CashDispenserErrorCode, DispenseResult>(signal, async () => {
      this.requireNoExchange();
      const slot = this.slot(request.position);
      if (this.stacker.length > 0 || slot.items.length > 0) refuse('itemsLeft', 'items left in the stacker or slot');
      if (slot.shutter === 'open') refuse('shutterOpen', 'the shutter is open');
      const denomination = this.denominateNow(request.denomination);
      const tokenId = await this.authorise(request.token, denomination.amount);
      throwIfAborted(signal);
      return this.pick(denomination, tokenId);
    });

  present = (request: PositionRequest, signal: AbortSignal) =>
    this.run<PresentResult, CashDispenserErrorCode>(signal, () => {
      this.requireNoExchange();
      const slot = this.slot(request.position);
      if (this.stacker.length === 0) refuse('noItems', 'the stacker is empty');
      if (!this.shutterControl && slot.shutter !== 'open') refuse('shutterNotOpen', 'open the shutter first');
      const notes = this.stacker;
      this.presentAt(slot, notes);
      this.stacker = [];
      this.stackerUnknown = false;
      this.storage.applyCounts(perUnitDeltas(notes, (n) => ({ out: { stacked: -n, presented: n } })));
      this.record({ outcome: 'presented', presented: sumOf(notes, this.last?.requested.currency) });
      this.refresh();
      return { position: slot.position as OutputPosition, numberOfItems: notes.length, additionalBunches: 0 };
    });

  reject = (_request: void, signal: AbortSignal) =>
    this.run<ItemsMoved, CashDispenserErrorCode>(signal, () => {
      this.requireNoExchange();
      if (this.stacker.length === 0) refuse('noItems', 'the stacker is empty');
      const unitId = this.receivingUnit('reject', this.stacker.length);
      const notes = this.resetInternal(unitId);
      return { count: notes.length, unitId, notes };
    });

  getPresentStatus = (request: PresentStatusRequest, signal: AbortSignal) =>
    this.run<PresentStatus, CashDispenserErrorCode>(signal, async () => {
      this.slot(request.position);
      const last = this.last;
      const currency = last?.requested.currency ?? '';
      const status: PresentStatus = {
        denomination: { amount: last?.dispensed ?? { currency, amount: 0 }, counts: countsOf(last?.notes ?? []) },
        presentState: presentState(last),
        presented: last?.presented ?? { currency, amount: 0 },
        retracted: (last?.retracted ?? 0) > 0,
      };
      if (request.nonce === undefined) return status;
      if (!/^[0-9A-F]+$/.test(request.nonce)) throw new DeviceError('invalidData', 'nonce must be upper-case hex');
      const key = this.endToEnd?.deviceKey;
      if (!this.endToEnd || !key) throw new DeviceError('invalidTokenKeyNoValue', 'no device key loaded');
      const yesNo = (b: boolean): string => (b ? 'YES' : 'NO');
      const token = await buildToken(
        request.nonce,
        [
          ['DISPENSEID', last?.tokenId ?? 'NONE'],
          ['DISPENSED1', formatTokenAmount(status.denomination.amount)],
          ['PRESENTED1', yesNo(status.presented.amount > 0)],
          ['PRESENTEDAMOUNT1', formatTokenAmount(status.presented)],
          ['RETRACTED1', yesNo(status.retracted)],
        ],
        key,
        this.endToEnd.hmacSha256,
      );
      return { ...status, token };
    });

  getCommandNonce = (_request: void, signal: AbortSignal) =>
    this.run<{ readonly commandNonce: string }, CashDispenserErrorCode>(signal, () => {
      if (!this.endToEnd) throw new DeviceError('unsupportedCommand', 'no end-to-end security');
      this.dropNonce();
      const value = this.nextNonce();
      const timeout = this.endToEnd.commandNonceTimeout ?? 0;
      const timer = timeout > 0 ? this.clock.setTimeout(() => this.clearNonce('timeout'), timeout) : undefined;
      this.nonce = { value, spent: 0, ...(timer === undefined ? {} : { timer }) };
      return { commandNonce: value };
    });

  clearCommandNonce = (_request: void, signal: AbortSignal) =>
    this.run<void, CashDispenserErrorCode>(signal, () => {
      this.clearNonce('cleared');
    });

  getLastTransaction = (_request: void, signal: AbortSignal) =>
    this.run<LastDispenseTransaction | undefined, CashDispenserErrorCode>(signal, () => this.last && { ...this.last });

  // ---- test controls ----

  /** Cuts the power: the nonce is lost, the device is `powerOff`; notes stay where they are. */
  powerCut(): void {
    this.clearNonce('powerLoss');
    this.stackerUnknown = this.stacker.length > 0;
    this.patchStatus({ device: 'powerOff' });
    this.refresh();
  }

  /** Power is back; the device is `offline` until the application opens it again. */
  restorePower(): void {
    this.patchStatus({ device: 'offline' });
  }

  /** The notes in the intermediate stacker. */
  stackerContents(): readonly DispensedNote[] {
    return [...this.stacker];
  }

  // ---- MemoryCashDevice hooks ----

  protected refresh(): void {
    this.patchStatus({
      dispenser: this.moduleState(),
      intermediateStacker: this.stacker.length === 0 ? 'empty' : this.stackerUnknown ? 'notEmptyUnknown' : 'notEmpty',
      positions: this.positionsView(),
      endToEndSecurity: !this.endToEnd ? 'notSupported' : this.tokensRequired() ? 'enforced' : 'notEnforced',
    });
  }

  protected toStacker(notes: DispensedNote[]): void {
    this.stacker.push(...notes);
    this.storage.applyCounts(perUnitDeltas(notes, (n) => ({ out: { presented: -n, stacked: n } })));
  }

  protected internalItems(): number {
    return this.stacker.length;
  }

  /** Stacker → `unitId` (reject or reset): counted as rejected on both sides. */
  protected resetInternal(unitId: string): DispensedNote[] {
    const notes = this.stacker;
    if (notes.length === 0) return [];
    this.stacker = [];
    this.stackerUnknown = false;
    this.storage.storeNotes(unitId, notes);
    this.storage.applyCounts([
      ...perUnitDeltas(notes, (n) => ({ out: { stacked: -n, rejected: n } })),
      { unitId, delta: { in: { rejected: notes.length } } },
    ]);
    this.record({ outcome: 'rejected' });
    this.refresh();
    return notes;
  }

  protected afterTaken(): void {
    this.record({ outcome: 'taken' });
  }

  protected afterRetract(notes: readonly DispensedNote[]): void {
    this.record({ outcome: 'retracted', retracted: (this.last?.retracted ?? 0) + notes.length });
  }

  // ---- internals ----

  private tokensRequired(): boolean {
    return this.endToEnd !== undefined && (this.endToEnd.required ?? true);
  }

  /** Units a dispense may draw from, for one currency. */
  private payoutUnits(currency?: string): CashUnit[] {
    return this.storage
      .cashUnits()
      .filter(
        (u) =>
          (u.configuration.types.includes('cashOut') || u.configuration.types.includes('recycle')) &&
          u.status === 'ok' &&
          !u.configuration.appLockOut &&
          u.configuration.value > 0 &&
          (currency === undefined || u.configuration.currency === currency),
      );
  }

  private denominateNow(request: DenominateRequest): Denomination {
    if ('mixNumber' in request) {
      const mixType = MIX_TYPES.find((m) => m.mixNumber === request.mixNumber);
      if (!mixType) refuse('invalidMixNumber', `no mix ${request.mixNumber}`);
      const units = this.payoutUnits(request.amount.currency);
      if (units.length === 0) refuse('invalidCurrency', `no units for ${request.amount.currency}`);
      const outcome = mix(
        request.amount.amount,
        units.map((u) => ({ id: u.id, value: u.configuration.value, count: u.count })),
        mixType.algorithm,
        this.maxDispenseItems,
      );
      if (!outcome.ok) {
        refuse(
          outcome.reason === 'invalidAmount' ? 'invalidDenomination' : outcome.reason,
          `cannot pay ${request.amount.amount}`,
        );
      }
      return { amount: request.amount, counts: outcome.counts };
    }
    const entries = Object.entries(request.counts).filter(([, n]) => n !== 0);
    const units = entries.map(([id, n]) => {
      const unit = this.payoutUnits().find((u) => u.id === id);
      if (!unit || !Number.isInteger(n) || n < 0) refuse('invalidDenomination', `bad count for unit ${id}`);
      if (n > unit.count) refuse('notDispensable', `unit ${id} has ${unit.count} notes`);
      return unit;
    });
    const currencies = new Set(units.map((u) => u.configuration.currency));
    const [currency] = currencies;
    if (currency === undefined || currencies.size > 1) refuse('invalidDenomination', 'one currency per dispense');
    if (entries.reduce((s, [, n]) => s + n, 0) > this.maxDispenseItems) refuse('tooManyItems', 'too many notes');
    const amount = units.reduce((s, u) => s + u.configuration.value * (request.counts[u.id] ?? 0), 0);
    if (request.amount && (request.amount.amount !== amount || request.amount.currency !== currency)) {
      refuse('invalidDenomination', 'amount does not match the counts');
    }
    return { amount: { currency, amount }, counts: Object.fromEntries(entries) };
  }

  /**
   * Checks the token as dispenser firmware must (xfs4iot.md §5): format, nonce,
   * HMAC, then the cumulative amount. Returns the token id (its HMAC) to charge.
   */
  private async authorise(token: string | undefined, amount: Money): Promise<string | undefined> {
    const e2e = this.endToEnd;
    if (!e2e || (token === undefined && !this.tokensRequired())) return undefined;
    if (token === undefined) throw new DeviceError('invalidToken', 'a dispense token is required');
    const parsed = parseToken(token);
    const signed = parseTokenAmount(parsed?.fields.get('DISPENSE1') ?? '');
    if (!parsed || !signed) throw new DeviceError('invalidTokenFormat', 'malformed token');
    const nonce = this.nonce;
    if (!nonce) throw new DeviceError('noCommandNonce', 'no command nonce issued');
    if (!constantTimeEqual(parsed.nonce, nonce.value)) throw new DeviceError('invalidTokenNonce', 'stale nonce');
    const expected = await tokenHmac(parsed.signed, e2e.hostKey, e2e.hmacSha256);
    if (!constantTimeEqual(parsed.hmac, expected)) throw new DeviceError('invalidTokenHMAC', 'bad token HMAC');
    if (nonce.tokenId !== undefined && nonce.tokenId !== parsed.hmac) {
      throw new DeviceError('invalidToken', 'another token was already used with this nonce');
    }
    if (signed.currency !== amount.currency || nonce.spent + amount.amount > signed.amount) {
      throw new DeviceError('invalidToken', 'amount exceeds what the token authorises');
    }
    return parsed.hmac;
  }

  /** Picks note by note into the stacker, honouring armed faults; a failure still reports what was picked. */
  private pick(denomination: Denomination, tokenId: string | undefined): DispenseResult {
    this.hub.emit('startDispense', { amount: denomination.amount });
    const now = this.clock.now();
    const requested = denomination.amount;
    this.last = {
      dispenseId: ++this.dispenseCounter,
      requested,
      outcome: 'dispensing',
      interrupted: false,
      picked: {},
      rejected: {},
      notes: [],
      dispensed: { currency: requested.currency, amount: 0 },
      presented: { currency: requested.currency, amount: 0 },
      retracted: 0,
      ...(tokenId === undefined ? {} : { tokenId }),
      startedAt: now,
      updatedAt: now,
    };
    if (tokenId !== undefined && this.nonce) this.nonce.tokenId = tokenId;

    const notes: DispensedNote[] = [];
    const picked: Record<string, number> = {};
    const rejected: Record<string, number> = {};
    let stop: 'cashUnitError' | 'powerLoss' | undefined;
    let picks = 0;
    const due = (o: { readonly afterNotes?: number }): boolean => picks >= (o.afterNotes ?? 0);
    for (const [unitId, wanted] of Object.entries(denomination.counts)) {
      let need = wanted;
      while (need > 0 && !stop) {
        if (this.faults.take('powerLoss', due)) {
          stop = 'powerLoss';
          break;
        }
        const feedFault = this.faults.take('pickFailure', (o) => (o.unitId ?? unitId) === unitId && due(o));
        const [note] = feedFault ? [] : this.storage.takeNotes(unitId, 1);
        if (!note) {
          this.storage.reportFailure(unitId, feedFault ? 'feedModuleProblem' : 'empty');
          if (feedFault) this.storage.setUnitStatus(unitId, 'inoperative');
          stop = 'cashUnitError';
          break;
        }
        picks += 1;
        picked[unitId] = (picked[unitId] ?? 0) + 1;
        if (this.faults.take('doubleNote', due)) {
          this.hub.emit('noteError', { reason: 'doubleNote' });
          const rejectUnit = this.findReceivingUnit('reject', 1);
          if (!rejectUnit) {
            // Nowhere to divert it: the note stays on the stack and the dispense stops.
            notes.push({ ...note, unitId });
            stop = 'cashUnitError';
            break;
          }
          this.storage.storeNotes(rejectUnit, [note]);
          this.storage.applyCounts([{ unitId: rejectUnit, delta: { in: { rejected: 1 } } }]);
          rejected[unitId] = (rejected[unitId] ?? 0) + 1;
          continue;
        }
        notes.push({ ...note, unitId });
        need -= 1;
      }
    }

    this.stacker = notes;
    this.storage.applyCounts(
      Object.keys(picked).map((unitId) => ({
        unitId,
        delta: { out: { stacked: countOf(notes, unitId), rejected: rejected[unitId] ?? 0 } },
      })),
    );
    const dispensed = sumOf(notes, requested.currency);
    if (this.nonce && tokenId !== undefined) this.nonce.spent += dispensed.amount;
    this.record({
      outcome: stop === 'powerLoss' ? 'dispensing' : 'stacked',
      interrupted: stop !== undefined,
      picked,
      rejected,
      notes,
      dispensed,
    });
    const result: DispenseResult = {
      denomination: { amount: dispensed, counts: countsOf(notes) },
      notes,
      rejected,
      bunches: 1,
    };
    if (stop === 'powerLoss') {
      this.powerCut();
      throw new DeviceError('timeOut', 'the dispenser stopped answering');
    }
    this.refresh();
    if (stop) {
      this.hub.emit('incompleteDispense', { denomination: result.denomination });
      throw new DeviceError('commandErrorCode', 'a cash unit failed during the dispense', 'cashUnitError', result);
    }
    return result;
  }

  private record(change: Partial<LastDispenseTransaction>): void {
    if (!this.last) return;
    this.last = { ...this.last, ...change, updatedAt: this.clock.now() };
  }

  private dropNonce(): void {
    if (this.nonce?.timer !== undefined) this.clock.clearTimeout(this.nonce.timer);
    this.nonce = undefined;
  }

  private clearNonce(reason: 'cleared' | 'timeout' | 'powerLoss'): void {
    if (!this.nonce) return;
    this.dropNonce();
    this.hub.emit('nonceCleared', { reason });
  }

  /** `stop` when nothing can be paid out or the reject bin cannot take more; `attention` when degraded. */
  private moduleState(): CashModuleState {
    const all = this.storage.cashUnits();
    const payout = all.filter(
      (u) => u.configuration.types.includes('cashOut') || u.configuration.types.includes('recycle'),
    );
    const rejects = all.filter((u) => u.configuration.types.includes('reject'));
    const usable = this.payoutUnits().filter((u) => u.count > 0);
    if (usable.length === 0 || rejects.every((u) => u.status !== 'ok' || u.replenishmentStatus === 'full')) {
      return 'stop';
    }
    const degraded =
      payout.some((u) => u.status !== 'ok' || u.replenishmentStatus === 'low' || u.replenishmentStatus === 'empty') ||
      rejects.some((u) => u.status !== 'ok' || u.replenishmentStatus === 'high' || u.replenishmentStatus === 'full');
    return degraded ? 'attention' : 'ok';
  }
}

function presentState(last: LastDispenseTransaction | undefined): PresentStatus['presentState'] {
  if (!last || last.outcome === 'stacked' || last.outcome === 'rejected') return 'notPresented';
  return last.outcome === 'dispensing' ? 'unknown' : 'presented';
}

function countOf(notes: readonly DispensedNote[], unitId: string): number {
  return notes.filter((n) => n.unitId === unitId).length;
}

function countsOf(notes: readonly DispensedNote[]): UnitCounts {
  const counts: Record<string, number> = {};
  for (const note of notes) counts[note.unitId] = (counts[note.unitId] ?? 0) + 1;
  return counts;
}

function sumOf(notes: readonly DispensedNote[], currency = ''): Money {
  return { currency, amount: notes.reduce((s, n) => s + n.value, 0) };
}

/** One count change per source unit, from how many of `notes` came from it. */
function perUnitDeltas(notes: readonly DispensedNote[], delta: (n: number) => CountsDelta): UnitCountChange[] {
  return Object.entries(countsOf(notes)).map(([unitId, n]) => ({ unitId, delta: delta(n) }));
}
