import { fromCallback, fromPromise, type AnyActorRef } from 'xstate';
import { sleep, type Clock } from '../../../drivers/common/clock.js';
import type { BarcodeScannerDevice } from '../../../drivers/barcode-scanner/contract.js';
import type { CardReaderDevice } from '../../../drivers/card-reader/contract.js';
import { DIGIT_KEYS, type PinPadDevice } from '../../../drivers/pin-pad/contract.js';
import type { PrinterDevice } from '../../../drivers/printer/contract.js';
import type { CashDispenserDevice } from '../../../drivers/cash-dispenser/contract.js';
import type { CashAcceptorDevice, InputRefuseReason } from '../../../drivers/cash-acceptor/contract.js';
import type {
  CashInEndOutput,
  CashInOutput,
  CashInRollbackOutput,
  RetractReason,
} from '../../../state-machines/transactions/deposit.machine.js';
import type { DispenseOutput } from '../../../state-machines/transactions/withdrawal.machine.js';
import type { MiniStatementOutput } from '../../../state-machines/transactions/mini-statement.machine.js';
import type {
  TransferInquiryOutput,
  TransferOutput,
  TransferReceipt,
} from '../../../state-machines/transactions/transfer.machine.js';
import type { PinEntryOutput } from '../../../state-machines/session/session.machine.js';
import type { HostResult, Identity, StatementEntry } from '../../../state-machines/session/types.js';
import type { ServiceRequest, Settlement, TransactionReply } from '../../host-link/host-transactions.js';
import type { Journal } from '../../journal/journal.js';
import { formatMaskedPan, maskPan } from '../../receipts/receipt-format.js';
import type { ReceiptTransactionType } from '../../receipts/receipt-labels.js';
import type { Language } from '../../ipc-contract/intents.js';
import type { CashLedger, NoteMovement } from '../../cash/cash-ledger.js';
import type { RecordJournal } from '../journal-recorder.js';
import { cardFromTrack2 } from './card-data.js';
import type { ChipSession } from './chip-session.js';
import { watchForAppointmentCodes } from './code-scan.js';
import type { CardVault } from './card-vault.js';
import type { HostService } from './host-service.js';
import { eventLatch, type EventLatch } from './event-latch.js';
import { printCustomerReceipt } from './receipt-printing.js';

export interface BankingDeps {
  readonly cardReader: CardReaderDevice;
  readonly pinPad: PinPadDevice;
  /** Reads appointment codes for cardless withdrawals; without it the kiosk is card-only. */
  readonly scanner?: BarcodeScannerDevice;
  readonly printer?: PrinterDevice;
  readonly dispenser?: CashDispenserDevice;
  readonly acceptor?: CashAcceptorDevice;
  readonly host: HostService;
  readonly vault: CardVault;
  /** Durable journal for steps that move a card: a failed append stops the step. */
  readonly journal: Journal;
  readonly record: RecordJournal;
  /** Banknote serial records (冠字号): every note dispensed or deposited, with its unit and transaction. */
  readonly ledger?: CashLedger;
  /** Copies the cash devices' counters into the ledger; called after every cash step. */
  readonly syncLedger?: () => void;
  /** The EMV side of a chip card's transactions. */
  readonly chip?: ChipSession;
  readonly clock: Clock;
  readonly kioskId: string;
  readonly bankName: string;
  /** The kiosk actor, for PIN-pad key counts that the session shows as dots. */
  readonly kiosk: () => AnyActorRef;
  /** The language of the session in progress, for receipts. */
  readonly language: () => Language;
}

/** Omit over each member of a union, keeping it a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const PIN_ENTRY_KEYS = [...DIGIT_KEYS, 'clear', 'backspace', 'enter', 'cancel'] as const;
const REINSERT_PAUSE_MS = 500;

/**
 * The effects the kiosk, session and transaction machines name, implemented on
 * the configured devices and the host link. Card data stays in the vault; the
 * machines get a masked PAN and a reference.
 */
export function bankingActors(deps: BankingDeps) {
  const { cardReader, pinPad, host, vault, clock } = deps;
  let cardRef: string | undefined;
  let settlement: Settlement | undefined;
  let lastReply: TransactionReply | undefined;
  let cashTaken: EventLatch | undefined;
  /** The host-signed dispense token and the transaction it belongs to (the host's RRN). */
  let approval: { token?: string; txId: string } | undefined;

  /** Service code 2xx/6xx: the card has a chip, so a reader with a contact unit must use it (no fallback to the stripe). */
  const chipCard = (track2: string): boolean => deps.chip?.available === true && /[=D]\d{4}[26]/.test(track2);

  /** Marks the customer transaction on the ledger, which refuses a replenishment meanwhile. */
  const markTransaction = (id: string | undefined): void => {
    try {
      deps.ledger?.setTransaction(id);
    } catch (err) {
      deps.record({
        kind: 'security',
        payload: { event: 'ledger.transactionRefused', reason: (err as Error).message },
      });
    }
  };

  const forgetCard = (): void => {
    markTransaction(undefined);
    if (cardRef !== undefined) vault.wipe(cardRef);
    cardRef = undefined;
    settlement = undefined;
    approval = undefined;
    host.pinBlocks.forget();
  };

  const acceptor = (): CashAcceptorDevice => {
    if (!deps.acceptor) throw new Error('no cash acceptor configured');
    return deps.acceptor;
  };

  const dispenser = (): CashDispenserDevice => {
    if (!deps.dispenser) throw new Error('no cash dispenser configured');
    return deps.dispenser;
  };

  /** Records which notes moved where, by serial, for disputes about a note. */
  const recordNotes = (
    movement: NoteMovement,
    notes: readonly { unitId: string; currency: string; value: number; serialNumber?: string }[],
  ): void => {
    if (!deps.ledger || notes.length === 0) return;
    const txId = approval?.txId ?? `session-${cardRef ?? 'none'}`;
    deps.ledger.apply(
      txId,
      {},
      notes.map((n) => ({ ...n, movement })),
    );
  };

  /** Journals a cash step before the device is told to act; a failed append stops the step. */
  const cashStep = async <R extends { completionCode: string }>(
    event: string,
    payload: Record<string, unknown>,
    act: () => Promise<R>,
  ): Promise<R> => {
    const txId = approval?.txId;
    deps.journal.append({
      kind: 'transaction',
      ...(txId ? { txId } : {}),
      payload: { event: `${event}.requested`, ...payload },
    });
    const result = await act();
    deps.journal.append({
      kind: 'device.result',
      ...(txId ? { txId } : {}),
      payload: { event: `${event}.result`, completion: result.completionCode },
    });
    deps.syncLedger?.();
    return result;
  };

  const currentCard = () => {
    if (cardRef === undefined) throw new Error('no card in this session');
    return vault.get(cardRef);
  };

  const authorize = async (
    request: DistributiveOmit<ServiceRequest, 'card'>,
    signal: AbortSignal,
  ): Promise<HostResult> => {
    const card = currentCard();
    const reply = await host.transactions.perform({ ...request, card } as ServiceRequest, signal);
    lastReply = reply;
    settlement = reply.settlement;
    const { responseCode, authCode, rrn, ledgerBalanceMinor, availableBalanceMinor, maxAmountMinor } = reply;
    let action = reply.action;
    if (card.entry === 'chip' && deps.chip) {
      // The card has the last word: an AAC after the host's approval means no money moves.
      const verdict = await deps.chip.complete(action === 'approve', responseCode, reply.issuerData, signal);
      deps.journal.append({ kind: 'transaction', payload: { event: 'chip.secondAc', verdict } });
      if (verdict === 'aac' && action === 'approve') {
        settlement?.reverse('cardAac');
        settlement = undefined;
        action = 'decline';
      }
    }
    return {
      action,
      responseCode,
      ...(authCode === undefined ? {} : { authCode }),
      ...(rrn === undefined ? {} : { rrn }),
      ...(ledgerBalanceMinor === undefined ? {} : { ledgerBalanceMinor }),
      ...(availableBalanceMinor === undefined ? {} : { availableBalanceMinor }),
      ...(maxAmountMinor === undefined ? {} : { maxAmountMinor }),
    };
  };

  /**
   * Moves the card, journaling the order before the reader acts and the result after. A capture
   * carries the bin's count before it, for start-up recovery to count a capture the power cut short.
   */
  const moveCard = async (to: 'exit' | 'retain', signal: AbortSignal): Promise<void> => {
    const retainCount = to === 'retain' ? { retainCount: cardReader.getStatus().retainBin.count } : {};
    deps.journal.append({ kind: 'transaction', payload: { event: 'card.move.requested', to, ...retainCount } });
    const result = await cardReader.move({ to }, signal);
    deps.journal.append({
      kind: 'transaction',
      payload: { event: 'card.move.result', to, completion: result.completionCode },
    });
    if (result.completionCode !== 'success') throw new Error(`card move to ${to} failed: ${result.errorDescription}`);
  };

  const printReceipt = async (
    data: {
      type: ReceiptTransactionType;
      amount?: number;
      balance?: number;
      statement?: readonly StatementEntry[];
    },
    signal: AbortSignal,
  ) => {
    if (!deps.printer) throw new Error('no receipt printer');
    const card = currentCard();
    await printCustomerReceipt(
      deps.printer,
      { ...data, card: maskPan(card.pan), currency: 'CNY', reference: '-', trace: '-' },
      { bankName: deps.bankName, kioskId: deps.kioskId, language: deps.language(), clock },
      signal,
    );
  };

  /** A PIN entry on the pad, its key presses shown as dots; the digits stay in the pad. */
  const enterPinOnPad = async (signal: AbortSignal): Promise<PinEntryOutput> => {
    let digits = 0;
    const off = pinPad.on('keyPressed', ({ completion }) => {
      if (completion === 'continue') digits += 1;
      else if (completion === 'clear') digits = 0;
      else if (completion === 'backspace') digits = Math.max(0, digits - 1);
      deps.kiosk().send({ type: 'pinpad.digitPressed', digits });
    });
    try {
      const result = await pinPad.pinEntry(
        { minLen: 4, maxLen: 6, autoEnd: false, activeKeys: PIN_ENTRY_KEYS, terminateKeys: ['enter', 'cancel'] },
        signal,
      );
      if (result.completionCode === 'success') {
        const { completion } = result.payload;
        return { completion: completion === 'cancel' ? 'cancel' : 'enter', digits: result.payload.digits };
      }
      if (result.errorCode === 'entryTimeout') return { completion: 'timeout', digits: 0 };
      throw new Error(`PIN entry failed: ${result.completionCode} ${result.errorDescription}`);
    } finally {
      off();
    }
  };

  /** The two new-PIN entries of a PIN change, as blocks under the PIK: equal blocks mean equal PINs. */
  let newPinBlocks: Uint8Array[] = [];
  const enterNewPin = async (signal: AbortSignal, first: boolean): Promise<PinEntryOutput> => {
    const pan = currentCard().pan;
    // The pad keeps one PIN: take the current PIN's block before the new entry replaces it.
    if (first) {
      await host.pinBlocks.pinBlock({ pan, purpose: 'current' }, signal);
      newPinBlocks = [];
    }
    const entry = await enterPinOnPad(signal);
    if (entry.completion === 'enter') newPinBlocks.push(await host.pinBlocks.freshBlock(pan, signal));
    return entry;
  };

  return {
    kiosk: {
      /** Waits for a card at the reader; an unreadable card is returned by the reader and the wait goes on. */
      awaitCustomer: fromCallback(({ sendBack }) => {
        const controller = new AbortController();
        forgetCard();
        if (deps.scanner)
          watchForAppointmentCodes(deps.scanner, controller.signal, (code) => {
            controller.abort();
            deps.record({ kind: 'customer', payload: { event: 'appointment.scanned' } });
            sendBack({ type: 'customer.codeScanned', code });
          });
        void (async () => {
          while (!controller.signal.aborted) {
            const read = await cardReader.readRawData({ track2: true }, controller.signal);
            if (controller.signal.aborted) return;
            if (read.completionCode === 'success' && read.payload.track2?.status === 'ok') {
              try {
                const track2 = new TextDecoder().decode(read.payload.track2.data);
                cardRef = vault.put(cardFromTrack2(track2, chipCard(track2) ? 'chip' : 'magstripe'));
              } catch {
                deps.record({ kind: 'customer', payload: { event: 'card.unreadable' } });
                await cardReader.move({ to: 'exit' }, controller.signal);
                continue;
              }
              deps.record({ kind: 'customer', payload: { event: 'card.inserted' } });
              markTransaction(cardRef);
              sendBack({ type: 'customer.cardInserted' });
              return;
            }
            await sleep(clock, REINSERT_PAUSE_MS, controller.signal).catch(() => undefined);
          }
        })();
        return () => controller.abort();
      }),
    },
    session: {
      /** Asks the host what the code books; the booked account goes to the vault as this session's "card". */
      verifyAppointment: fromPromise<Extract<Identity, { kind: 'appointment' }>, { code: string }>(
        async ({ input, signal }) => {
          const reply = await host.transactions.lookupAppointment(input.code, signal);
          deps.record({
            kind: 'customer',
            payload: { event: 'appointment.checked', responseCode: reply.responseCode },
          });
          if (reply.action !== 'approve' || !reply.appointment)
            throw new Error(`appointment refused: ${reply.responseCode}`);
          const { reference, amountMinor, account } = reply.appointment;
          cardRef = vault.put({ pan: account, entry: 'appointment', appointmentRef: reference });
          return { kind: 'appointment', appointmentRef: reference, amountMinor };
        },
      ),
      readCard: fromPromise<Extract<Identity, { kind: 'card' }>, void>(async () => {
        const card = currentCard();
        return { kind: 'card', maskedPan: formatMaskedPan(maskPan(card.pan)), cardRef: cardRef as string, chip: false };
      }),
      enterPin: fromPromise<PinEntryOutput, void>(({ signal }) => {
        host.pinBlocks.forget();
        return enterPinOnPad(signal);
      }),
      ejectCard: fromPromise<void, void>(({ signal }) => moveCard('exit', signal)),
      waitCardTaken: fromPromise<void, void>(
        ({ signal }) =>
          new Promise<void>((resolve, reject) => {
            const done = (): void => {
              off();
              forgetCard();
              deps.record({ kind: 'transaction', payload: { event: 'card.taken' } });
              resolve();
            };
            const off = cardReader.on('mediaRemoved', done);
            signal.addEventListener('abort', () => {
              off();
              reject(new Error('wait for card taken aborted'));
            });
            if (cardReader.getStatus().media === 'notPresent') done();
          }),
      ),
      captureCard: fromPromise<void, void>(async ({ signal }) => {
        await moveCard('retain', signal);
        forgetCard();
      }),
    },
    balance: {
      authorize: fromPromise<HostResult, { amountMinor: number }>(({ signal }) =>
        authorize({ kind: 'balance' }, signal),
      ),
      printBalance: fromPromise<void, { availableMinor: number; ledgerMinor: number }>(({ input, signal }) =>
        printReceipt({ type: 'balanceInquiry', balance: input.availableMinor }, signal),
      ),
    },
    deposit: {
      cashInStart: fromPromise<void, { currency: string }>(async ({ signal }) => {
        const result = await cashStep('cashIn.start', {}, () =>
          acceptor().cashInStart({ useRecycleUnits: true }, signal),
        );
        if (result.completionCode !== 'success') throw new Error(`cash-in start failed: ${result.errorDescription}`);
      }),
      cashIn: fromPromise<CashInOutput, void>(async ({ signal }) => {
        let refuseReason: InputRefuseReason | undefined;
        // Refused notes come back during the count: listen now, a quick customer takes them at once.
        cashTaken?.cancel();
        cashTaken = eventLatch(acceptor(), 'itemsTaken');
        const off = acceptor().on('inputRefuse', ({ reason }) => (refuseReason = reason));
        try {
          const result = await acceptor().cashIn(undefined, signal);
          if (result.completionCode !== 'success') throw new Error(`cash-in failed: ${result.errorDescription}`);
          deps.journal.append({
            kind: 'transaction',
            payload: {
              event: 'cashIn.counted',
              notes: result.payload.items.map((n) => ({
                value: n.value,
                level: n.classification,
                serial: n.serialNumber ?? null,
              })),
              refused: result.payload.refused,
            },
          });
          return {
            notes: result.payload.items,
            refused: result.payload.refused,
            ...(refuseReason === undefined ? {} : { refuseReason }),
          };
        } finally {
          off();
        }
      }),
      authorize: fromPromise<HostResult, { amountMinor: number }>(({ input, signal }) =>
        authorize({ kind: 'deposit', amountMinor: input.amountMinor }, signal),
      ),
      cashInEnd: fromPromise<CashInEndOutput, void>(async ({ signal }) => {
        const result = await cashStep('cashIn.end', {}, () => acceptor().cashInEnd(undefined, signal));
        if (result.completionCode !== 'success') throw new Error(`commit failed: ${result.errorDescription}`);
        const retained = new Set(['counterfeit', 'suspect', 'inked']);
        recordNotes(
          'deposited',
          result.payload.notes.filter((n) => !retained.has(n.classification)),
        );
        recordNotes(
          'retained',
          result.payload.notes.filter((n) => retained.has(n.classification)),
        );
        settlement?.complete();
        return { creditedMinor: result.payload.credited.reduce((sum, m) => sum + m.amount, 0) };
      }),
      cashInRollback: fromPromise<CashInRollbackOutput, void>(async ({ signal }) => {
        cashTaken?.cancel();
        cashTaken = eventLatch(acceptor(), 'itemsTaken');
        const result = await cashStep('cashIn.rollback', {}, () => acceptor().cashInRollback(undefined, signal));
        if (result.completionCode === 'success') return { returnedNotes: result.payload.returned.length };
        if (result.errorCode === 'noItems') return { returnedNotes: 0 };
        throw new Error(`rollback failed: ${result.errorDescription}`);
      }),
      waitNotesTaken: fromPromise<void, void>(async ({ signal }) => {
        if (!cashTaken) throw new Error('no notes were returned');
        await cashTaken.wait(signal);
        deps.journal.append({ kind: 'transaction', payload: { event: 'cashIn.returnedTaken' } });
      }),
      retractNotes: fromPromise<void, { reason: RetractReason }>(async ({ input, signal }) => {
        const result = await cashStep('cashIn.retract', { reason: input.reason }, () =>
          acceptor().retract({ retractArea: 'retract' }, signal),
        );
        if (result.completionCode !== 'success') throw new Error(`retract failed: ${result.errorDescription}`);
      }),
      queueReversal: fromPromise<void, { reason: string; committedMinor: number }>(async ({ input }) => {
        deps.journal.append({ kind: 'transaction', payload: { event: 'reversal.queued', reason: input.reason } });
        settlement?.reverse('dispenseFault', input.committedMinor);
      }),
      printReceipt: fromPromise<void, { amountMinor: number; retainedNotes: number }>(({ input, signal }) =>
        printReceipt({ type: 'deposit', amount: input.amountMinor }, signal),
      ),
    },
    transfer: {
      inquire: fromPromise<TransferInquiryOutput, { payeeAccount: string; amountMinor: number }>(
        async ({ input, signal }) => {
          const result = await authorize({ kind: 'transferInquiry', ...input }, signal);
          const outcome = lastReply?.transfer;
          return {
            ...result,
            ...(outcome?.payeeNameMasked === undefined ? {} : { payeeNameMasked: outcome.payeeNameMasked }),
            mode: outcome?.mode === 'realTime' || outcome?.realTimeOffered ? 'realTime' : 'delayed',
          };
        },
      ),
      transfer: fromPromise<TransferOutput, { payeeAccount: string; amountMinor: number; realTimeConfirmed: boolean }>(
        async ({ input, signal }) => {
          const result = await authorize({ kind: 'transfer', ...input }, signal);
          const outcome = lastReply?.transfer;
          // A transfer is settled when the host answers; only a withdrawal waits for the cash.
          settlement?.complete();
          return {
            ...result,
            ...(outcome === undefined
              ? {}
              : {
                  mode: outcome.mode,
                  revocable: outcome.revocable,
                  ...(outcome.executeAtMs === undefined ? {} : { executeAtMs: outcome.executeAtMs }),
                  ...(outcome.reference === undefined ? {} : { reference: outcome.reference }),
                }),
          };
        },
      ),
      revoke: fromPromise<HostResult, { reference: string }>(({ input, signal }) =>
        authorize({ kind: 'transferRevocation', reference: input.reference }, signal),
      ),
      printReceipt: fromPromise<void, TransferReceipt>(({ input, signal }) =>
        printReceipt({ type: 'transfer', amount: input.amountMinor }, signal),
      ),
    },
    pinChange: {
      enterNewPin: fromPromise<PinEntryOutput, void>(({ signal }) => enterNewPin(signal, true)),
      confirmNewPin: fromPromise<PinEntryOutput, void>(({ signal }) => enterNewPin(signal, false)),
      pinsMatch: fromPromise<boolean, void>(async () => {
        const [first, second] = newPinBlocks;
        const match = first !== undefined && second !== undefined && Buffer.from(first).equals(Buffer.from(second));
        if (match) host.pinBlocks.setNewPin(currentCard().pan, first);
        return match;
      }),
      changePin: fromPromise<HostResult, void>(({ signal }) => authorize({ kind: 'pinChange' }, signal)),
    },
    miniStatement: {
      fetchStatement: fromPromise<MiniStatementOutput, void>(async ({ signal }) => {
        const result = await authorize({ kind: 'miniStatement' }, signal);
        const lines = (lastReply?.statement ?? []).map((line) => ({
          date: `20${line.date.slice(0, 2)}-${line.date.slice(2, 4)}-${line.date.slice(4, 6)}`,
          description: line.description,
          amountMinor: line.amountMinor,
        }));
        return { ...result, lines };
      }),
      printStatement: fromPromise<void, { lines: readonly StatementEntry[] }>(({ input, signal }) =>
        printReceipt({ type: 'miniStatement', statement: input.lines }, signal),
      ),
    },
    withdrawal: {
      authorize: fromPromise<HostResult, { amountMinor: number }>(async ({ input, signal }) => {
        // The dispenser's nonce goes to the host, which signs the dispense token over it.
        const nonce = await dispenser().getCommandNonce(undefined, signal);
        if (nonce.completionCode !== 'success') throw new Error(`no dispense nonce: ${nonce.errorDescription}`);
        const result = await authorize(
          { kind: 'withdrawal', amountMinor: input.amountMinor, dispenseNonce: nonce.payload.commandNonce },
          signal,
        );
        if (result.action === 'approve') {
          const token = lastReply?.dispenseToken;
          approval = { txId: result.rrn ?? `tx-${clock.now()}`, ...(token === undefined ? {} : { token }) };
        }
        return result;
      }),
      dispense: fromPromise<DispenseOutput, { amountMinor: number }>(async ({ input, signal }) => {
        const result = await cashStep('dispense', { amountMinor: input.amountMinor }, () =>
          dispenser().dispense(
            {
              denomination: { amount: { currency: 'CNY', amount: input.amountMinor }, mixNumber: 1 },
              ...(approval?.token === undefined ? {} : { token: approval.token }),
            },
            signal,
          ),
        );
        if (result.completionCode === 'success') recordNotes('dispensed', result.payload.notes);
        // A partial dispense still reports what reached the stacker; the machine rejects it and reverses.
        const stacked = (result.payload as { denomination?: { amount: { amount: number } } } | undefined)?.denomination;
        if (result.completionCode !== 'success' && !stacked)
          throw new Error(`dispense failed: ${result.errorDescription}`);
        return { amountMinor: stacked?.amount.amount ?? 0 };
      }),
      present: fromPromise<void, void>(async ({ signal }) => {
        // Listen before presenting: a quick customer can take the notes before the next step starts.
        cashTaken?.cancel();
        cashTaken = eventLatch(dispenser(), 'itemsTaken');
        const result = await cashStep('present', {}, () => dispenser().present({ position: 'outDefault' }, signal));
        if (result.completionCode !== 'success') throw new Error(`present failed: ${result.errorDescription}`);
      }),
      waitCashTaken: fromPromise<void, void>(async ({ signal }) => {
        if (!cashTaken) throw new Error('no notes were presented');
        await cashTaken.wait(signal);
        deps.journal.append({ kind: 'transaction', payload: { event: 'cash.taken' } });
        settlement?.complete();
      }),
      retractCash: fromPromise<void, void>(async ({ signal }) => {
        const result = await cashStep('retract', {}, () => dispenser().retract({ retractArea: 'retract' }, signal));
        if (result.completionCode !== 'success') throw new Error(`retract failed: ${result.errorDescription}`);
      }),
      rejectCash: fromPromise<void, void>(async ({ signal }) => {
        const result = await cashStep('reject', {}, () => dispenser().reject(undefined, signal));
        if (result.completionCode !== 'success') throw new Error(`reject failed: ${result.errorDescription}`);
      }),
      queueReversal: fromPromise<void, { reason: string; dispensedMinor: number }>(async ({ input }) => {
        const reason =
          input.reason === 'withdrawal.cashRetracted'
            ? 'cashRetracted'
            : input.dispensedMinor > 0
              ? 'partialDispense'
              : 'dispenseFault';
        deps.journal.append({
          kind: 'transaction',
          payload: { event: 'reversal.queued', reason, dispensedMinor: input.dispensedMinor },
        });
        settlement?.reverse(reason, input.dispensedMinor);
      }),
      printReceipt: fromPromise<void, { amountMinor: number }>(({ input, signal }) =>
        printReceipt({ type: 'withdrawal', amount: input.amountMinor }, signal),
      ),
    },
  };
}
