import { fromPromise, type SnapshotFrom } from 'xstate';
import type { Clock } from '../../../drivers/common/clock.js';
import type { kioskMachine } from '../../../state-machines/kiosk/kiosk.machine.js';
import { maintenanceMachine } from '../../../state-machines/maintenance/maintenance.machine.js';
import type {
  CardBinInfo,
  CashUnitInfo,
  LoginResult,
  LogoutReason,
} from '../../../state-machines/maintenance/types.js';
import type { CashLedger } from '../../cash/cash-ledger.js';
import type { Intent, Language } from '../../ipc-contract/intents.js';
import type { Journal } from '../../journal/journal.js';
import { ledgerSync } from '../banking/ledger-sync.js';
import { printDocument } from '../banking/receipt-printing.js';
import type { MaintenanceConfig } from '../config.js';
import type { DeviceManager } from '../device-manager.js';
import type { RecordJournal } from '../journal-recorder.js';
import type { Logger } from '../logger.js';
import { cardBinOf, emptyCardBin } from './card-bin.js';
import { CashExchange } from './cash-exchange.js';
import { countersSlip } from './counters-slip.js';
import { OperatorAuth } from './operator-auth.js';

type KioskSnapshot = SnapshotFrom<typeof kioskMachine>;

export interface Maintenance {
  /** The kiosk machine with supervisor mode's effects bound to the devices, the ledger and the journal. */
  provide(machine: typeof kioskMachine): typeof kioskMachine;
  /**
   * Whether the kiosk's current state takes this intent. In maintenance the
   * technician's machine must be able to take it, not only the kiosk that forwards it.
   */
  accepts(snapshot: KioskSnapshot, intent: Intent): boolean;
}

/**
 * The runtime side of supervisor mode: the actors the maintenance machine
 * invokes. The renderer only enters values (an id and password, counts); what
 * they change is decided here and journaled with the operator id first.
 */
export function createMaintenance(options: {
  readonly config: MaintenanceConfig;
  readonly kioskId: string;
  readonly bankName: string;
  readonly devices: DeviceManager;
  readonly ledger?: CashLedger;
  readonly journal: Journal;
  readonly record: RecordJournal;
  readonly clock: Clock;
  readonly log: Logger;
  readonly language: () => Language;
}): Maintenance {
  const { devices, journal, log } = options;
  const dispenser = devices.byClass('cashDispenser');
  const acceptor = devices.byClass('cashAcceptor');
  const auth = new OperatorAuth(options.config, options.clock, options.record);
  const exchange = new CashExchange({
    devices: [dispenser, acceptor],
    ...(options.ledger ? { ledger: options.ledger } : {}),
    syncLedger: options.ledger ? ledgerSync(options.ledger, [dispenser, acceptor], log) : () => undefined,
    journal,
  });
  const failing =
    <I, O>(step: string, run: (input: I, signal: AbortSignal) => Promise<O>) =>
    ({ input, signal }: { input: I; signal: AbortSignal }): Promise<O> =>
      run(input, signal).catch((err: unknown) => {
        log.warn({ step, error: (err as Error).message }, 'maintenance step failed');
        throw err;
      });

  const actors = {
    verifyOperator: fromPromise<LoginResult, { operatorId: string; password: string }>(
      failing('login', (input) => auth.login(input.operatorId, input.password)),
    ),
    logout: fromPromise<void, { operatorId: string; reason: LogoutReason }>(({ input }) => {
      auth.logout(input.reason);
      return Promise.resolve();
    }),
    readCashUnits: fromPromise<readonly CashUnitInfo[], void>(() => Promise.resolve(exchange.units())),
    startExchange: fromPromise<readonly CashUnitInfo[], { operatorId: string }>(
      failing('startExchange', (input, signal) => exchange.start(input.operatorId, signal)),
    ),
    endExchange: fromPromise<readonly CashUnitInfo[], { operatorId: string; counts: readonly number[] }>(
      failing('endExchange', (input, signal) => exchange.commit(input.operatorId, input.counts, signal)),
    ),
    cancelExchange: fromPromise<void, { operatorId: string }>(
      failing('cancelExchange', (input) => exchange.cancel(input.operatorId)),
    ),
    readCardBin: fromPromise<CardBinInfo, void>(
      failing('readCardBin', () => Promise.resolve(cardBinOf(devices.byClass('cardReader')))),
    ),
    resetCardBin: fromPromise<CardBinInfo, { operatorId: string }>(
      failing('resetCardBin', (input, signal) =>
        emptyCardBin(devices.byClass('cardReader'), input.operatorId, journal, signal),
      ),
    ),
    printCounters: fromPromise<void, { operatorId: string }>(
      failing('printCounters', async (input, signal) => {
        const printer = devices.byClass('printer');
        if (!printer) throw new Error('the kiosk has no receipt printer');
        const units = exchange.units();
        const retainedCards = devices.byClass('cardReader')?.getStatus().retainBin.count;
        options.record({
          kind: 'maintenance',
          payload: {
            event: 'counters.print',
            operatorId: input.operatorId,
            counts: Object.fromEntries(units.map((u) => [u.unitId, u.count])),
          },
        });
        const slip = countersSlip(
          { operatorId: input.operatorId, units, ...(retainedCards === undefined ? {} : { retainedCards }) },
          { bankName: options.bankName, kioskId: options.kioskId, language: options.language(), clock: options.clock },
        );
        await printDocument(printer, slip, signal);
      }),
    ),
  };

  /** The switch went back to `run` with the technician still in: close what they left open. */
  const ended = (): void => {
    const operatorId = auth.operatorId ?? '';
    auth.logout('switchToRun');
    exchange
      .cancel(operatorId)
      .catch((err: unknown) => log.error({ error: (err as Error).message }, 'exchange left open'));
  };

  return {
    provide: (machine) =>
      machine.provide({
        actors: { maintenance: maintenanceMachine.provide({ actors }) },
        actions: { maintenanceEnded: ended },
      }),
    accepts: (snapshot, intent) => {
      if (!snapshot.matches('maintenance') || intent.type === 'ui.languageSelected') return true;
      const child = snapshot.children.maintenance?.getSnapshot() as { can(event: Intent): boolean } | undefined;
      return child?.can(intent) ?? false;
    },
  };
}
