import { buildAppointmentLookup, interpretAppointmentReply, type AppointmentReply } from './appointments.js';
import { DISPENSE_NONCE } from './dispense-token.js';
import { HostLinkError, type HostLinkErrorCode } from './link/errors.js';
import type { HostLink } from './link/host-link.js';
import { noopJournal, type HostLinkJournal } from './link/journal.js';
import type { ReversalQueue, ReversalReason } from './reversals/queue.js';
import {
  MONEY_MOVING,
  buildRequest,
  interpretResponse,
  type HostReply,
  type HostTransactionKind,
  type TransactionRequest,
} from './transactions.js';

/**
 * The PIN pad as the link sees it: enciphered blocks only. `current` is the PIN the customer last
 * entered; `new` the new PIN of a PIN change. ISO 9564 format 0 under the PIK that the last sign-on
 * installed (PinPad.getPinBlock with the PIK's key name and the PAN as customer data).
 */
export interface PinBlockSource {
  pinBlock(
    request: { readonly pan: string; readonly purpose: 'current' | 'new' },
    signal?: AbortSignal,
  ): Promise<Uint8Array>;
}

/** The EMV kernel's part: DE55 (BER-TLV of the 1st GENERATE AC and its data) for a chip transaction. */
export interface EmvDataProvider {
  iccData(
    request: {
      readonly kind: HostTransactionKind;
      readonly amountMinor: number;
      readonly currency: string;
      readonly stan: string;
    },
    signal?: AbortSignal,
  ): Promise<Uint8Array | undefined>;
}

type WithoutSecrets<T> = T extends unknown ? Omit<T, 'pinBlock' | 'iccData' | 'newPinBlock'> : never;
/** A service request as the session layer asks for it; PIN blocks and chip data are fetched here. */
export type ServiceRequest = WithoutSecrets<TransactionRequest>;

/** What the kiosk must do after an approved money-moving transaction. */
export interface Settlement {
  readonly reversalId: number;
  /** Cash taken / notes stored / transfer shown: the prepared reversal is canceled. */
  complete(): void;
  /** Undo at the host (0420). `dispensedMinor` for a partial dispense goes in DE95. */
  reverse(
    reason: Exclude<ReversalReason, 'timeout' | 'noValidResponse' | 'interrupted'>,
    dispensedMinor?: number,
  ): void;
}

export interface TransactionReply extends HostReply {
  /** Present on approved withdrawals, deposits and transfers. */
  readonly settlement?: Settlement;
  /** Set when no valid response arrived; `responseCode` is then 91 (not sent) or 68 (sent, outcome unknown). */
  readonly linkFailure?: HostLinkErrorCode;
}

export interface HostTransactionsOptions {
  readonly link: HostLink;
  readonly reversals: ReversalQueue;
  readonly pins: PinBlockSource;
  readonly emv?: EmvDataProvider;
  readonly journal?: HostLinkJournal;
}

const CNY = '156';

/**
 * Runs one service against the host: numbers it, gathers the PIN block and chip data, records the
 * reversal it may need before sending, sends, and reads the answer. A request the host may have
 * acted on without the kiosk getting a valid answer leaves its reversal owed.
 */
export class HostTransactions {
  readonly #o: HostTransactionsOptions;
  readonly #journal: HostLinkJournal;

  constructor(options: HostTransactionsOptions) {
    this.#o = options;
    this.#journal = options.journal ?? noopJournal;
  }

  async perform(request: ServiceRequest, signal?: AbortSignal): Promise<TransactionReply> {
    const { link, reversals, pins, emv } = this.#o;
    if (!link.up) return this.#failure(new HostLinkError('notConnected'));
    if (
      request.kind === 'withdrawal' &&
      request.dispenseNonce !== undefined &&
      !DISPENSE_NONCE.test(request.dispenseNonce)
    )
      return { action: 'outOfService', responseCode: '91', dispenseTokenFault: 'nonceFormat' };
    const { pan } = request.card;
    const pinBlock = await pins.pinBlock({ pan, purpose: 'current' }, signal);
    const newPinBlock = request.kind === 'pinChange' ? await pins.pinBlock({ pan, purpose: 'new' }, signal) : undefined;
    const stan = link.sequences.nextStan();
    const amountMinor = 'amountMinor' in request ? request.amountMinor : 0;
    const iccData =
      request.card.entry === 'chip'
        ? await emv?.iccData({ kind: request.kind, amountMinor, currency: CNY, stan }, signal)
        : undefined;
    const full = {
      ...request,
      pinBlock,
      ...(newPinBlock === undefined ? {} : { newPinBlock }),
      ...(iccData === undefined ? {} : { iccData }),
    } as TransactionRequest;
    const message = buildRequest(full, {
      terminal: link.terminal,
      stan,
      rrn: link.sequences.rrn(stan),
      epochMs: link.clock.now(),
    });
    let reversalId: number | null = null;
    if (MONEY_MOVING.has(request.kind)) {
      try {
        reversalId = await reversals.prepare(message);
      } catch (err) {
        // No reversal could be recorded (the data key is locked): the request must not go.
        this.#journal.record('transaction', { event: 'reversalNotRecorded', kind: request.kind, stan, error: String(err) });
        return this.#failure(new HostLinkError('securityModule', 'the reversal could not be recorded'));
      }
    }
    let reply: HostReply;
    try {
      reply = interpretResponse(await link.request(message), request);
    } catch (err) {
      if (reversalId !== null) {
        if (err instanceof HostLinkError && !err.notSent)
          reversals.owe(reversalId, err.code === 'timeout' ? 'timeout' : 'noValidResponse');
        else reversals.cancel(reversalId);
      }
      if (!(err instanceof HostLinkError)) throw err;
      this.#journal.record('transaction', {
        event: 'hostUnanswered',
        kind: request.kind,
        stan,
        error: err.code,
        reversalOwed: reversalId !== null && !err.notSent,
      });
      return this.#failure(err);
    }
    this.#journal.record('transaction', {
      event: 'hostAnswered',
      kind: request.kind,
      stan,
      responseCode: reply.responseCode,
      action: reply.action,
    });
    if (reversalId === null) return reply;
    if (reply.action !== 'approve') {
      reversals.cancel(reversalId);
      return reply;
    }
    if (reply.dispenseTokenFault !== undefined) {
      // The host debited the account but the cash cannot be paid out: undo it as an unusable answer.
      reversals.owe(reversalId, 'noValidResponse');
      this.#journal.record('host.response', {
        event: 'malformedDispenseToken',
        stan,
        fault: reply.dispenseTokenFault,
        reversalOwed: true,
      });
      return { action: 'outOfService', responseCode: '68', dispenseTokenFault: reply.dispenseTokenFault };
    }
    return { ...reply, settlement: this.#settlement(reversalId) };
  }

  /** Asks the host what a scanned appointment code books (cardless withdrawal); moves no money. */
  async lookupAppointment(code: string, signal?: AbortSignal): Promise<AppointmentReply> {
    const { link } = this.#o;
    if (!link.up) return this.#failure(new HostLinkError('notConnected'));
    signal?.throwIfAborted();
    const stan = link.sequences.nextStan();
    const message = buildAppointmentLookup(code, {
      terminal: link.terminal,
      stan,
      rrn: link.sequences.rrn(stan),
      epochMs: link.clock.now(),
    });
    try {
      const reply = interpretAppointmentReply(await link.request(message));
      this.#journal.record('transaction', {
        event: 'hostAnswered',
        kind: 'appointmentLookup',
        stan,
        responseCode: reply.responseCode,
        action: reply.action,
      });
      return reply;
    } catch (err) {
      if (!(err instanceof HostLinkError)) throw err;
      this.#journal.record('transaction', { event: 'hostUnanswered', kind: 'appointmentLookup', stan, error: err.code });
      return this.#failure(err);
    }
  }

  #settlement(reversalId: number): Settlement {
    const { reversals } = this.#o;
    return {
      reversalId,
      complete: () => void reversals.cancel(reversalId),
      reverse: (reason, dispensedMinor) => void reversals.owe(reversalId, reason, dispensedMinor),
    };
  }

  #failure(err: HostLinkError): TransactionReply {
    return { action: 'outOfService', responseCode: err.notSent ? '91' : '68', linkFailure: err.code };
  }
}
