import type { CashUnit, CashUnitCounts, CountedRecord, RestorableCounts } from '../../../drivers/storage/contract.js';
import type { CashLedger, UnitConfiguration } from '../../cash/cash-ledger.js';
import type { Journal } from '../../journal/journal.js';
import type { Logger } from '../logger.js';

/** A cash device that reports its own units and counters (the dispenser and acceptor drivers do). */
interface ReportsCashUnits {
  readonly id: string;
  cashUnits(): readonly CashUnit[];
  /** Present on drivers whose counters live in memory only (RestorableCounts). */
  countedRecord?(): CountedRecord | undefined;
}

function reportsCashUnits(device: unknown): device is ReportsCashUnits {
  return typeof (device as Partial<ReportsCashUnits> | undefined)?.cashUnits === 'function';
}

function restorable(device: ReportsCashUnits): device is ReportsCashUnits & RestorableCounts {
  const d = device as Partial<RestorableCounts>;
  return typeof d.countedRecord === 'function' && typeof d.restoreCounts === 'function';
}

/** A device-reported unit in the ledger's terms. */
export function toLedgerUnit(unit: CashUnit): Omit<UnitConfiguration, 'initial'> & { readonly counts: CashUnitCounts } {
  return {
    id: unit.id,
    types: unit.configuration.types,
    currency: unit.configuration.currency,
    value: unit.configuration.value,
    limits: {
      capacity: unit.configuration.capacity,
      lowThreshold: unit.configuration.lowThreshold,
      highThreshold: unit.configuration.highThreshold,
    },
    counts: unit.counts,
  };
}

/**
 * Copies the cash devices' unit counters into the durable ledger, with the
 * device record they include. Called after every cash movement and at
 * start-up; a refusal (a replenishment in progress) or a storage failure is
 * logged, never thrown into a customer flow.
 */
export function ledgerSync(ledger: CashLedger, devices: readonly unknown[], log: Logger): () => void {
  const sources = devices.filter(reportsCashUnits);
  return () => {
    try {
      ledger.recordDeviceUnits(
        sources.flatMap((device) => device.cashUnits().map(toLedgerUnit)),
        Object.fromEntries(sources.filter(restorable).map((device) => [device.id, device.countedRecord()])),
      );
    } catch (err) {
      log.warn({ error: (err as Error).message }, 'cash ledger not updated');
    }
  };
}

/**
 * At start-up, before the devices open: the durable ledger is the authority.
 * A driver that counts in memory starts from the ledger's counters for every
 * unit the ledger knows (a unit it never saw keeps its configured count), and
 * judges the device's transaction record by the record those counters include.
 * An exchange cannot outlive the process that ran it: one left open by a crash
 * is ended, so that the counters are synced again, and journaled with the
 * counts it leaves (the technician's, if they were set, else the last synced).
 */
export function restoreDeviceUnits(
  ledger: CashLedger,
  devices: readonly unknown[],
  journal: Pick<Journal, 'append'>,
  log: Logger,
): void {
  if (ledger.exchangeActive()) {
    const counts = Object.fromEntries(ledger.units().map((unit) => [unit.id, unit.count]));
    log.warn({ counts }, 'a replenishment was interrupted by the restart; its exchange is ended');
    try {
      journal.append({ kind: 'maintenance', payload: { event: 'cash.exchange.endedAtStartup', counts } });
    } finally {
      // Ended even when the journal fails: an exchange left open would stop the ledger counting.
      ledger.endExchange();
    }
  }
  const known = new Map(ledger.units().map((unit) => [unit.id, unit.counts]));
  for (const device of devices.filter(reportsCashUnits).filter(restorable)) {
    const counts = Object.fromEntries(
      device.cashUnits().flatMap((unit) => {
        const stored = known.get(unit.id);
        return stored ? [[unit.id, stored] as const] : [];
      }),
    );
    try {
      device.restoreCounts(counts, ledger.countedRecord(device.id));
    } catch (err) {
      log.error(
        { device: device.id, error: (err as Error).message },
        'cash unit counters not restored; configured counts kept',
      );
    }
  }
}
