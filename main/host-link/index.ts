/** The host link's public surface (the ISO 8583 codec has its own: ./iso8583/index.js). */
export { openLinkDb } from './link/db.js';
export { HostLinkError, type HostLinkErrorCode } from './link/errors.js';
export {
  DEFAULT_LINK_TIMEOUTS,
  HostLink,
  type HostEndpoint,
  type HostLinkOptions,
  type LinkTimeouts,
  type RequestOptions,
} from './link/host-link.js';
export { MemoryJournal, noopJournal, type HostLinkJournal, type JournalRecord } from './link/journal.js';
export { KeyCheckError, type EncryptedWorkingKeys, type SecurityModule } from './link/security-module.js';
export { StorageCipher, StorageKeyError, type DataKeyWrapper } from './link/storage-cipher.js';
export type { TerminalIdentity } from './link/terminal.js';
export type { TlsOptions } from './link/tls-transport.js';
export { actionForResponseCode } from './response-codes.js';
export { ReversalQueue, type ReversalReason, type ReversalRecord, type ReversalState } from './reversals/queue.js';
export { ReversalSender, type ReversalSenderOptions } from './reversals/sender.js';
export {
  HostTransactions,
  type EmvDataProvider,
  type HostTransactionsOptions,
  type PinBlockSource,
  type ServiceRequest,
  type Settlement,
  type TransactionReply,
} from './host-transactions.js';
export * from './transactions.js';
export { APPOINTMENT_CODE, buildAppointmentLookup, interpretAppointmentReply, type AppointmentReply } from './appointments.js';
export { DISPENSE_NONCE, checkDispenseToken, type DispenseTokenFault } from './dispense-token.js';
