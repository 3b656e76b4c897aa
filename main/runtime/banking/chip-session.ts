import { randomBytes } from 'node:crypto';
import type { Clock } from '../../../drivers/common/clock.js';
import type { CardReaderDevice } from '../../../drivers/card-reader/contract.js';
import { chipTransport } from '../../../drivers/card-reader/chip-transport.js';
import { EmvKernel } from '../../../drivers/card-reader/emv-kernel.js';
import { ATM_TERMINAL_DEFAULTS, type TransactionType } from '../../../drivers/card-reader/emv-terminal.js';
import { decodeTlv } from '../../../drivers/protocols/emv/tlv.js';
import type { EmvDataProvider } from '../../host-link/host-transactions.js';
import type { HostTransactionKind } from '../../host-link/transactions.js';

/** UnionPay debit and Visa credit/debit, in priority order. */
const AIDS = ['A000000333010101', 'A0000000031010'];

const TYPES: Partial<Record<HostTransactionKind, TransactionType>> = {
  withdrawal: 'cash',
  transfer: 'transfer',
  transferInquiry: 'transfer',
};

/**
 * The chip side of one card session: the first GENERATE AC (ARQC and the DE55
 * for the host request) and, once the host has answered, the second (TC, or
 * AAC — after a host approval that means the transaction must be reversed).
 */
export class ChipSession implements EmvDataProvider {
  private kernel: EmvKernel | undefined;

  constructor(
    private readonly reader: CardReaderDevice,
    private readonly clock: Clock,
  ) {}

  /** Whether this card reader can reach a chip at all. */
  get available(): boolean {
    return this.reader.getCapabilities().chip;
  }

  async iccData(
    request: {
      readonly kind: HostTransactionKind;
      readonly amountMinor: number;
      readonly currency: string;
      readonly stan: string;
    },
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    const abort = signal ?? new AbortController().signal;
    const transport = chipTransport(this.reader);
    await transport.powerOn(abort);
    this.kernel = new EmvKernel(
      transport,
      { ...ATM_TERMINAL_DEFAULTS, aids: AIDS },
      (n) => new Uint8Array(randomBytes(n)),
    );
    const first = await this.kernel.firstAc(
      {
        amount: request.amountMinor,
        currency: request.currency,
        type: TYPES[request.kind] ?? 'inquiry',
        date: yymmdd(this.clock.now()),
        sequenceCounter: Number(request.stan),
      },
      abort,
    );
    return first.de55;
  }

  /**
   * Gives the card the host's answer. Returns 'aac' when the card refuses a
   * transaction the host approved: the caller must not pay and must reverse.
   */
  async complete(
    approved: boolean,
    responseCode: string,
    issuerData: Uint8Array | undefined,
    signal: AbortSignal,
  ): Promise<'tc' | 'aac' | 'none'> {
    const kernel = this.kernel;
    this.kernel = undefined;
    if (!kernel) return 'none';
    const arpc = issuerData ? decodeTlv(issuerData).find((t) => t.tag === '91')?.value : undefined;
    const second = await kernel.secondAc(
      { approved, authorisationResponseCode: responseCode, ...(arpc ? { issuerAuthenticationData: arpc } : {}) },
      signal,
    );
    return second.cryptogram === 'TC' ? 'tc' : 'aac';
  }
}

function yymmdd(epochMs: number): string {
  // China Standard Time: the kiosk's business date.
  const d = new Date(epochMs + 8 * 3600_000);
  return `${String(d.getUTCFullYear() % 100).padStart(2, '0')}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}
