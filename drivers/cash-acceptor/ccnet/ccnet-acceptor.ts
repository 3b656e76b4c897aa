import type { DriverContext } from '../../common/device.js';
import type { ByteTransport } from '../../common/transport.js';
import type {
  CashAcceptorCapabilities,
  CashAcceptorDevice,
  CashAcceptorEvents,
  CashAcceptorStatus,
} from '../contract.js';
import { EscrowCore, type EscrowCoreOptions } from '../escrow-core.js';
import { CcnetAdapter } from './ccnet-adapter.js';
import { CcnetLink } from './ccnet-link.js';

export interface CcnetAcceptorOptions extends EscrowCoreOptions {
  /** Default 200 ms per attempt. */
  readonly replyTimeoutMs?: number;
  /** Default 3 ([TC]). */
  readonly retries?: number;
}

/** CashCode CCNET bill validator with a drop cassette, behind the CashAcceptor contract. */
export class CcnetAcceptor extends EscrowCore<CashAcceptorStatus, CashAcceptorEvents> implements CashAcceptorDevice {
  constructor(context: DriverContext, transport: ByteTransport, options: CcnetAcceptorOptions = {}) {
    const link = new CcnetLink(transport, context.clock, {
      replyTimeoutMs: options.replyTimeoutMs ?? 200,
      retries: options.retries ?? 3,
    });
    super(context, transport, new CcnetAdapter(link), options, []);
  }

  getCapabilities(): CashAcceptorCapabilities {
    return this.acceptorCapabilities();
  }

  protected extraStatus(): Omit<CashAcceptorStatus, keyof CashAcceptorStatus> {
    return {};
  }

  protected afterInitialise(): Promise<void> {
    return Promise.resolve();
  }

  protected onModelEvent(): void {
    // A validator without recycling has no model-specific events.
  }
}
