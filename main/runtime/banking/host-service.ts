import { join } from 'node:path';
import type { Clock } from '../../../drivers/common/clock.js';
import type { PinPadDevice } from '../../../drivers/pin-pad/contract.js';
import {
  HostLink,
  HostTransactions,
  openLinkDb,
  ReversalQueue,
  ReversalSender,
  StorageCipher,
  type EmvDataProvider,
} from '../../host-link/index.js';
import type { HostLinkJournal } from '../../host-link/link/journal.js';
import type { Journal } from '../../journal/journal.js';
import { isJournalKind } from '../../journal/record.js';
import type { HostConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { PinPadPinBlocks, PinPadSecurityModule } from './pin-pad-keys.js';
import { PinPadStorageKey } from './pin-pad-storage-key.js';

export interface HostService {
  readonly transactions: HostTransactions;
  /** Reversals prepared before requests; start-up recovery settles those whose outcome was lost. */
  readonly reversals: ReversalQueue;
  readonly pinBlocks: PinPadPinBlocks;
  readonly up: boolean;
  onStatus(listener: (up: boolean) => void): () => void;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Builds the bank-host link from the configuration: the TCP link with sign-on
 * and MACs, the persistent reversal queue and its sender, and the transaction
 * service. PINs, the PIK, the MAK (MACs are computed in the pad) and the key
 * that wraps the reversal queue's data key all stay in the PIN pad.
 */
export function createHostService(options: {
  readonly config: HostConfig;
  readonly stateDir: string;
  readonly pinPad: PinPadDevice;
  /** The chip's DE55 for chip cards (the EMV kernel on the card reader). */
  readonly emv?: EmvDataProvider;
  readonly clock: Clock;
  readonly journal: Journal;
  readonly log: Logger;
}): HostService {
  const { config, clock, log } = options;
  const journal: HostLinkJournal = {
    record(kind, payload) {
      try {
        options.journal.append({
          kind: isJournalKind(kind) ? kind : 'host.response',
          payload: { ...payload, linkKind: kind },
        });
      } catch (err) {
        log.error({ error: (err as Error).message }, 'host journal append failed');
      }
    },
  };
  const db = openLinkDb(join(options.stateDir, 'host-link.sqlite'));
  const security = new PinPadSecurityModule(options.pinPad, Buffer.from(config.terminalMasterKeyHex, 'hex'));
  const link = new HostLink({
    endpoint: { host: config.host, port: config.port },
    terminal: config.terminal,
    clock,
    db,
    security,
    journal,
  });
  const storage = new StorageCipher(db, new PinPadStorageKey(options.pinPad));
  const reversals = new ReversalQueue(db, clock, storage);
  const sender = new ReversalSender({ link, queue: reversals, clock, journal });
  const pinBlocks = new PinPadPinBlocks(options.pinPad);
  const transactions = new HostTransactions({
    link,
    reversals,
    pins: pinBlocks,
    journal,
    ...(options.emv ? { emv: options.emv } : {}),
  });
  return {
    transactions,
    reversals,
    pinBlocks,
    get up() {
      return link.up;
    },
    onStatus: (listener) => link.onStatus(listener),
    start() {
      // Whatever start-up recovery could not settle is owed: the host may have acted on it.
      reversals.recoverInterrupted();
      // Seals what an older version left in clear as soon as the pad can unwrap the data key;
      // until then money-moving requests are refused (91) rather than sent without a reversal.
      reversals.unlock().catch((err: unknown) =>
        journal.record('security', { event: 'dataKeyLocked', error: (err as Error).message }),
      );
      sender.start();
      link.start();
    },
    async stop() {
      sender.stop();
      await link.stop();
      storage.lock();
      db.close();
    },
  };
}
