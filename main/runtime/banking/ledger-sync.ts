import type { CashUnit } from '../../../drivers/storage/contract.js';
import type { CashLedger } from '../../cash/cash-ledger.js';
import type { Logger } from '../logger.js';

/** A cash device that reports its own units and counters (the dispenser and acceptor drivers do). */
interface ReportsCashUnits {
  cashUnits(): readonly CashUnit[];
}

function reportsCashUnits(device: unknown): device is ReportsCashUnits {
  return typeof (device as Partial<ReportsCashUnits> | undefined)?.cashUnits === 'function';
}

/**
 * Copies the cash devices' unit counters into the durable ledger. Called after
 * every cash movement and at start-up; a refusal (a replenishment in
 * progress) or a storage failure is logged, never thrown into a customer flow.
 */
export function ledgerSync(ledger: CashLedger, devices: readonly unknown[], log: Logger): () => void {
  const sources = devices.filter(reportsCashUnits);
  return () => {
    try {
      ledger.recordDeviceUnits(
        sources.flatMap((device) =>
          device.cashUnits().map((unit) => ({
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
          })),
        ),
      );
    } catch (err) {
      log.warn({ error: (err as Error).message }, 'cash ledger not updated');
    }
  };
}
