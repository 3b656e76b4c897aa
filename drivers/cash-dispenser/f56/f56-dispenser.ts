import type { DriverContext } from '../../common/device.js';
import type { ByteTransport } from '../../common/transport.js';
import { DispenserCore, type DispenserOptions } from '../dispenser-core.js';
import { F56Adapter } from './f56-adapter.js';

export interface F56Options extends DispenserOptions {
  /** §1c: 5 s. */
  readonly ackTimeoutMs?: number;
  /** Replies other than dispense. Default 5 s. */
  readonly replyTimeoutMs?: number;
  /** §1c: 3. */
  readonly maxRetries?: number;
}

/** Fujitsu F56 (four cassettes, shuttered presenter) behind the CashDispenser contract. */
export class F56Dispenser extends DispenserCore {
  constructor(context: DriverContext, transport: ByteTransport, options: F56Options) {
    const adapter = new F56Adapter(transport, context.clock, {
      ackTimeoutMs: options.ackTimeoutMs ?? 5000,
      replyTimeoutMs: options.replyTimeoutMs ?? 5000,
      maxRetries: options.maxRetries ?? 3,
    });
    super(context, transport, adapter, options);
  }
}
