import type { DeviceResult } from '../../../drivers/common/completion.js';
import type { DeviceState } from '../../../drivers/common/status.js';
import type { CashUnit, CashUnitChange, CashUnitStorage } from '../../../drivers/storage/contract.js';
import { validCounts, type CashUnitInfo } from '../../../state-machines/maintenance/types.js';
import type { CashLedger, UnitConfiguration } from '../../cash/cash-ledger.js';
import type { Journal } from '../../journal/journal.js';
import { toLedgerUnit } from '../banking/ledger-sync.js';

/** A replenishment step that could not be done; the message is for the log, the screen says `maint.*`. */
export class ExchangeError extends Error {
  override readonly name = 'ExchangeError';
}

/** A device that offers the Storage exchange commands for the units it counts (dispenser and acceptor cores do). */
export function cashUnitStorage(device: unknown): CashUnitStorage | undefined {
  const d = device as Partial<CashUnitStorage> | undefined;
  return typeof d?.cashUnits === 'function' &&
    typeof d.startExchange === 'function' &&
    typeof d.setCashUnits === 'function' &&
    typeof d.endExchange === 'function'
    ? (d as CashUnitStorage)
    : undefined;
}

/** A unit as the technician sees it: what it holds, what left it since the last exchange. */
export function toCashUnitInfo(unit: CashUnit): CashUnitInfo {
  const types = unit.configuration.types;
  const cassette = types.includes('cashOut') || types.includes('recycle');
  return {
    unitId: unit.id,
    role: cassette ? 'cassette' : types.includes('cashIn') ? 'cashbox' : 'bin',
    currency: unit.configuration.currency,
    valueMinor: unit.configuration.value,
    count: unit.count,
    initial: unit.counts.initial,
    dispensed: unit.counts.out.presented,
    rejected: cassette ? unit.counts.out.rejected : unit.counts.in.rejected,
    retracted: unit.counts.in.retracted,
    fill: unit.replenishmentStatus,
  };
}

interface WithStatus {
  readonly id?: string;
  getStatus(): { readonly device: DeviceState };
}

/** Whether a device can take part in an exchange: online, or busy for a moment (a device without a status is taken at its word). */
function answers(device: unknown): boolean {
  const state = (device as Partial<WithStatus>).getStatus?.().device;
  return state === undefined || state === 'online' || state === 'deviceBusy';
}

function deviceId(device: unknown): string {
  return (device as Partial<WithStatus>).id ?? 'unnamed device';
}

/**
 * A replenishment as an XFS4IoT Storage exchange on every cash device that
 * counts its units (the dispenser's cassettes and reject bin, the recycler's
 * recycle units and cashbox) and on the kiosk's durable cash ledger together: start (all
 * refuse cash movements meanwhile) → the technician's counts, journaled before
 * anything changes → each device's counts → the ledger copied from the
 * devices → end. A device that is offline or faulty is left out (and named
 * in the journal). Steps run one after another, so a switch back to `run`
 * mid-step cancels only after it.
 */
export class CashExchange {
  /** The devices whose exchange is open, in `units()` order. */
  private active: CashUnitStorage[] | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: {
      /** The cash devices (dispenser, acceptor); those that count no units of their own are left out. */
      readonly devices: readonly unknown[];
      readonly ledger?: CashLedger;
      /** Copies every cash device's counters into the ledger. */
      readonly syncLedger: () => void;
      readonly journal: Pick<Journal, 'append'>;
    },
  ) {}

  /** The units of the devices in the open exchange, or else of every device, device by device. */
  units(): CashUnitInfo[] {
    return (this.active ?? this.storages()).flatMap((s) => s.cashUnits().map(toCashUnitInfo));
  }

  start(operatorId: string, signal: AbortSignal): Promise<CashUnitInfo[]> {
    return this.serial(async () => {
      // A device that does not answer is left out, so a broken recycler does not stop a cassette refill.
      const storages = this.storages().filter(answers);
      const leftOut = this.deps.devices.filter((d) => cashUnitStorage(d) && !answers(d)).map(deviceId);
      if (storages.length === 0) throw new ExchangeError('no cash device that counts its cash units is online');
      if (this.active) throw new ExchangeError('an exchange is already active');
      this.append('cash.exchange.start', { operatorId, ...(leftOut.length > 0 ? { leftOut } : {}) });
      // The ledger refuses while a customer transaction is marked on it.
      this.deps.ledger?.startExchange();
      const started: CashUnitStorage[] = [];
      for (const storage of storages) {
        const result = await storage.startExchange(undefined, signal);
        if (result.completionCode !== 'success') {
          await this.close(started).catch(() => undefined);
          throw this.failed('start', operatorId, result);
        }
        started.push(storage);
      }
      this.active = started;
      return this.units();
    });
  }

  /** Sets every unit (cassettes, recycle units, cashbox, reject bin; in `units()` order) and ends the exchange. */
  commit(operatorId: string, counts: readonly number[], signal: AbortSignal): Promise<CashUnitInfo[]> {
    return this.serial(async () => {
      const storages = this.active;
      if (!storages) throw new ExchangeError('no exchange is active');
      const units = this.units();
      if (!validCounts(counts, units)) throw new ExchangeError('the counts do not fit the cash units');
      const before = Object.fromEntries(units.map((u) => [u.unitId, u.count]));
      const after = Object.fromEntries(units.map((u, i) => [u.unitId, counts[i] ?? 0]));
      // Notes the technician took out (an emptied cashbox or reject bin, an unloaded recycle unit), for the books.
      const removed = Object.fromEntries(
        units.flatMap((u, i) => ((counts[i] ?? 0) < u.count ? [[u.unitId, u.count - (counts[i] ?? 0)]] : [])),
      );
      // Journaled before a device or the ledger changes: a failed append stops the replenishment here.
      this.append('cash.exchange.counts', {
        operatorId,
        before,
        after,
        ...(Object.keys(removed).length > 0 ? { removed } : {}),
      });
      const set: CashUnit[] = [];
      for (const storage of storages) {
        const mine = new Set(storage.cashUnits().map((u) => u.id));
        const change: Record<string, CashUnitChange> = Object.fromEntries(
          Object.entries(after)
            .filter(([unitId]) => mine.has(unitId))
            .map(([unitId, initial]) => [unitId, { initial }]),
        );
        const result = await storage.setCashUnits(change, signal);
        if (result.completionCode !== 'success') {
          // A device set before this one keeps its new counts: the ledger copies what each device holds.
          await this.close(storages);
          throw this.failed('set', operatorId, result);
        }
        set.push(...result.payload);
      }
      this.recordInLedger(set);
      await this.close(storages);
      const now = this.units();
      this.append('cash.exchange.end', { operatorId, counts: Object.fromEntries(now.map((u) => [u.unitId, u.count])) });
      return now;
    });
  }

  /** Ends the exchange with every count as it was. */
  cancel(operatorId: string): Promise<void> {
    return this.serial(async () => {
      const storages = this.active;
      if (!storages) return;
      // Closed even when the journal fails: an exchange left open would stop the cash devices.
      try {
        this.append('cash.exchange.cancel', { operatorId });
      } finally {
        await this.close(storages);
      }
    });
  }

  /** The ledger gets the units just set, and every other unit (a left-out device's) as it stood. */
  private recordInLedger(deviceUnits: readonly CashUnit[]): void {
    const ledger = this.deps.ledger;
    if (!ledger) return;
    const mine = new Set(deviceUnits.map((u) => u.id));
    const configured = (u: Omit<UnitConfiguration, 'initial'>, initial: number): UnitConfiguration => ({
      id: u.id,
      types: u.types,
      currency: u.currency,
      value: u.value,
      limits: u.limits,
      initial,
    });
    ledger.setUnits([
      ...deviceUnits.map((u) => configured(toLedgerUnit(u), u.count)),
      ...ledger
        .units()
        .filter((u) => !mine.has(u.id))
        .map((u) => configured(u, u.count)),
    ]);
  }

  /**
   * Ends the exchange on the devices and the ledger, then copies the devices'
   * exact counters. Not cancelable: an exchange left open would stop the cash devices.
   */
  private async close(storages: readonly CashUnitStorage[]): Promise<void> {
    this.active = undefined;
    const ended = await Promise.all(storages.map((s) => s.endExchange(undefined, new AbortController().signal)));
    if (this.deps.ledger?.exchangeActive()) this.deps.ledger.endExchange();
    this.deps.syncLedger();
    const refused = ended.find((r) => r.completionCode !== 'success' && r.errorCode !== 'noExchangeActive');
    if (refused && refused.completionCode !== 'success') {
      throw new ExchangeError(`a cash device did not end the exchange: ${refused.errorDescription}`);
    }
  }

  private storages(): CashUnitStorage[] {
    return this.deps.devices.flatMap((d) => cashUnitStorage(d) ?? []);
  }

  private failed(step: string, operatorId: string, result: DeviceResult<unknown, string>): ExchangeError {
    const failure = result.completionCode === 'success' ? undefined : result;
    this.append('cash.exchange.failed', {
      operatorId,
      step,
      completion: result.completionCode,
      ...(failure?.errorCode === undefined ? {} : { errorCode: failure.errorCode }),
    });
    return new ExchangeError(`${step}: ${failure?.errorDescription ?? 'failed'}`);
  }

  private append(event: string, payload: object): void {
    this.deps.journal.append({ kind: 'maintenance', payload: { event, ...payload } });
  }

  private serial<T>(step: () => Promise<T>): Promise<T> {
    const next = this.chain.then(step);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
