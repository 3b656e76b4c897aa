import type { AnyActorRef } from 'xstate';
import type { Clock } from '../../../drivers/common/clock.js';
import type { kioskMachine } from '../../../state-machines/kiosk/kiosk.machine.js';
import { sessionMachine } from '../../../state-machines/session/session.machine.js';
import { balanceMachine } from '../../../state-machines/transactions/balance.machine.js';
import { depositMachine } from '../../../state-machines/transactions/deposit.machine.js';
import { miniStatementMachine } from '../../../state-machines/transactions/mini-statement.machine.js';
import { pinChangeMachine } from '../../../state-machines/transactions/pin-change.machine.js';
import { transferMachine } from '../../../state-machines/transactions/transfer.machine.js';
import { withdrawalMachine } from '../../../state-machines/transactions/withdrawal.machine.js';
import type { Language } from '../../ipc-contract/intents.js';
import type { Journal } from '../../journal/journal.js';
import type { HostConfig } from '../config.js';
import type { DeviceManager } from '../device-manager.js';
import type { RecordJournal } from '../journal-recorder.js';
import type { Logger } from '../logger.js';
import { join } from 'node:path';
import { CashLedger } from '../../cash/cash-ledger.js';
import { CardVault } from './card-vault.js';
import { ChipSession } from './chip-session.js';
import { ledgerSync, restoreDeviceUnits } from './ledger-sync.js';
import { keepRetainCount } from './retain-count.js';
import { createHostService, type HostService } from './host-service.js';
import { recoverAfterRestart, type RecoveryReport } from './recovery.js';
import { bankingActors } from './session-actors.js';

/** The bank named on receipts and slips. */
export const BANK_NAME = 'Open Kiosk Bank';

export interface Banking {
  /** The kiosk machine with every customer-session effect bound to the devices and the host. */
  readonly machine: typeof kioskMachine;
  readonly host: HostService;
  readonly vault: CardVault;
  /** Banknote serials and cash accounting. */
  readonly ledger: CashLedger;
  /** Settles a card, notes, withdrawals and deposits left over by a crash; run before the host link starts. */
  recover(signal: AbortSignal): Promise<RecoveryReport>;
}

/**
 * Binds the machines' named effects to the configured card reader, PIN pad,
 * printer and bank host. Returns undefined when the kiosk has no card reader,
 * PIN pad or host configured: it then offers no card service. Called before
 * the devices are opened, so that they start from the durable counts.
 */
export function createBanking(options: {
  readonly machine: typeof kioskMachine;
  readonly host?: HostConfig;
  readonly devices: DeviceManager;
  readonly stateDir: string;
  readonly clock: Clock;
  readonly journal: Journal;
  readonly record: RecordJournal;
  readonly log: Logger;
  readonly kioskId: string;
  /** How long notes handed back at start-up recovery wait for the customer. */
  readonly takeNotesMs: number;
  readonly kiosk: () => AnyActorRef;
  readonly language: () => Language;
}): Banking | undefined {
  const cardReader = options.devices.byClass('cardReader');
  const pinPad = options.devices.byClass('pinPad');
  if (!options.host || !cardReader || !pinPad) return undefined;
  const chip = new ChipSession(cardReader, options.clock);
  const host = createHostService({
    config: options.host,
    stateDir: options.stateDir,
    pinPad,
    emv: chip,
    clock: options.clock,
    journal: options.journal,
    log: options.log,
  });
  const vault = new CardVault();
  const ledger = new CashLedger(join(options.stateDir, 'cash.sqlite'), options.clock);
  const printer = options.devices.byClass('printer');
  const dispenser = options.devices.byClass('cashDispenser');
  const acceptor = options.devices.byClass('cashAcceptor');
  // The devices are not open yet: their first status read starts from the durable counts.
  restoreDeviceUnits(ledger, [dispenser, acceptor], options.journal, options.log);
  keepRetainCount(ledger, cardReader, options.log);
  const syncLedger = ledgerSync(ledger, [dispenser, acceptor], options.log);
  const scanner = options.devices.byClass('barcodeScanner');
  const actors = bankingActors({
    cardReader,
    pinPad,
    ...(printer ? { printer } : {}),
    ...(dispenser ? { dispenser } : {}),
    ...(acceptor ? { acceptor } : {}),
    ...(scanner ? { scanner } : {}),
    host,
    vault,
    journal: options.journal,
    record: options.record,
    ledger,
    syncLedger,
    chip,
    clock: options.clock,
    kioskId: options.kioskId,
    bankName: BANK_NAME,
    kiosk: options.kiosk,
    language: options.language,
  });
  const machine = options.machine.provide({
    actors: {
      ...actors.kiosk,
      session: sessionMachine.provide({
        actors: {
          ...actors.session,
          balance: balanceMachine.provide({ actors: actors.balance }),
          withdrawal: withdrawalMachine.provide({ actors: actors.withdrawal }),
          deposit: depositMachine.provide({ actors: actors.deposit }),
          transfer: transferMachine.provide({ actors: actors.transfer }),
          pinChange: pinChangeMachine.provide({ actors: actors.pinChange }),
          miniStatement: miniStatementMachine.provide({ actors: actors.miniStatement }),
        },
      }),
    },
  });
  return {
    machine,
    host,
    vault,
    ledger,
    recover: async (signal) => {
      const report = await recoverAfterRestart({
        cardReader,
        ...(dispenser ? { dispenser } : {}),
        ...(acceptor ? { acceptor } : {}),
        reversals: host.reversals,
        journal: options.journal,
        clock: options.clock,
        takeNotesMs: options.takeNotesMs,
        ...(acceptor ? { holdDeposits: (on) => options.devices.hold(acceptor.id, 'escrowInDoubt', on) } : {}),
        signal,
      });
      syncLedger();
      return report;
    },
  };
}
