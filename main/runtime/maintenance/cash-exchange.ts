import type { DeviceResult } from '../../../drivers/common/completion.js';
import type { CashUnit, CashUnitChange, CashUnitStorage } from '../../../drivers/storage/contract.js';
import { validCounts, type CashUnitInfo } from '../../../state-machines/maintenance/types.js';
import type { CashLedger, UnitConfiguration } from '../../cash/cash-ledger.js';
import type { Journal } from '../../journal/journal.js';
import { toLedgerUnit } from '../banking/ledger-sync.js';

/** A replenishment step that could not be done; the message is for the log, the screen says `maint.*`. */
export class ExchangeError extends Error {
  override readonly name = 'ExchangeError';
}

/** A device that offers the Storage exchange commands for the units it counts (the dispenser core does). */
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
    role: cassette ? 'cassette' : 'bin',
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

/**
 * A replenishment as an XFS4IoT Storage exchange on the dispenser and on the
 * kiosk's durable cash ledger together: start (both refuse cash movements
 * meanwhile) → the technician's counts, journaled before anything changes →
 * the device's counts → the ledger copied from the device → end. Steps run one
 * after another, so a switch back to `run` mid-step cancels only after it.
 */
export class CashExchange {
  private active = false;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: {
      readonly dispenser: unknown;
      readonly ledger?: CashLedger;
      /** Copies every cash device's counters into the ledger. */
      readonly syncLedger: () => void;
      readonly journal: Pick<Journal, 'append'>;
    },
  ) {}

  /** The dispenser's units now; none when the kiosk has no dispenser that counts its units. */
  units(): CashUnitInfo[] {
    return (cashUnitStorage(this.deps.dispenser)?.cashUnits() ?? []).map(toCashUnitInfo);
  }

  start(operatorId: string, signal: AbortSignal): Promise<CashUnitInfo[]> {
    return this.serial(async () => {
      const storage = this.storage();
      if (this.active) throw new ExchangeError('an exchange is already active');
      this.append('cash.exchange.start', { operatorId });
      // The ledger refuses while a customer transaction is marked on it.
      this.deps.ledger?.startExchange();
      const started = await storage.startExchange(undefined, signal);
      if (started.completionCode !== 'success') {
        this.deps.ledger?.endExchange();
        throw this.failed('start', operatorId, started);
      }
      this.active = true;
      return started.payload.map(toCashUnitInfo);
    });
  }

  /** Sets each cassette to the counted notes (in `units()` order) and ends the exchange. */
  commit(operatorId: string, counts: readonly number[], signal: AbortSignal): Promise<CashUnitInfo[]> {
    return this.serial(async () => {
      const storage = this.storage();
      if (!this.active) throw new ExchangeError('no exchange is active');
      const units = storage.cashUnits().map(toCashUnitInfo);
      if (!validCounts(counts, units)) throw new ExchangeError('the counts do not fit the cassettes');
      const cassettes = units.filter((u) => u.role === 'cassette');
      const before = Object.fromEntries(cassettes.map((u) => [u.unitId, u.count]));
      const after = Object.fromEntries(cassettes.map((u, i) => [u.unitId, counts[i] ?? 0]));
      // Journaled before the device or the ledger changes: a failed append stops the replenishment here.
      this.append('cash.exchange.counts', { operatorId, before, after });
      const change: Record<string, CashUnitChange> = Object.fromEntries(
        Object.entries(after).map(([unitId, initial]) => [unitId, { initial }]),
      );
      const set = await storage.setCashUnits(change, signal);
      if (set.completionCode !== 'success') {
        await this.close(storage);
        throw this.failed('set', operatorId, set);
      }
      this.recordInLedger(set.payload);
      await this.close(storage);
      const now = storage.cashUnits();
      this.append('cash.exchange.end', { operatorId, counts: Object.fromEntries(now.map((u) => [u.id, u.count])) });
      return now.map(toCashUnitInfo);
    });
  }

  /** Ends the exchange with every count as it was. */
  cancel(operatorId: string): Promise<void> {
    return this.serial(async () => {
      if (!this.active) return;
      // Closed even when the journal fails: an exchange left open would stop the dispenser.
      try {
        this.append('cash.exchange.cancel', { operatorId });
      } finally {
        await this.close(this.storage());
      }
    });
  }

  /** The ledger gets the device's units: the counted cassettes, and every other unit as it stood. */
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
   * Ends the exchange on the device and the ledger, then copies the device's
   * exact counters. Not cancelable: an exchange left open would stop the dispenser.
   */
  private async close(storage: CashUnitStorage): Promise<void> {
    this.active = false;
    const ended = await storage.endExchange(undefined, new AbortController().signal);
    if (this.deps.ledger?.exchangeActive()) this.deps.ledger.endExchange();
    this.deps.syncLedger();
    if (ended.completionCode !== 'success' && ended.errorCode !== 'noExchangeActive') {
      throw new ExchangeError(`the dispenser did not end the exchange: ${ended.errorDescription}`);
    }
  }

  private storage(): CashUnitStorage {
    const storage = cashUnitStorage(this.deps.dispenser);
    if (!storage) throw new ExchangeError('no dispenser that counts its cash units');
    return storage;
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
