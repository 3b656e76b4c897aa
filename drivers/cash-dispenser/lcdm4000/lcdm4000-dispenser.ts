import type { DriverContext } from '../../common/device.js';
import type { ByteTransport } from '../../common/transport.js';
import { DispenserCore, type DispenserOptions } from '../dispenser-core.js';
import { LcdmAdapter } from './lcdm-adapter.js';

export interface Lcdm4000Options extends DispenserOptions {
  /** §1a: 200 ms. */
  readonly ackTimeoutMs?: number;
  /** Status and extension replies. Default 1 s. */
  readonly replyTimeoutMs?: number;
  readonly maxRetries?: number;
}

/** Puloon LCDM-4000 (four cassettes, exit tray) behind the CashDispenser contract. */
export class Lcdm4000Dispenser extends DispenserCore {
  constructor(context: DriverContext, transport: ByteTransport, options: Lcdm4000Options) {
    const adapter = new LcdmAdapter(transport, context.clock, {
      ackTimeoutMs: options.ackTimeoutMs ?? 200,
      replyTimeoutMs: options.replyTimeoutMs ?? 1000,
      eotTimeoutMs: 50,
      maxRetries: options.maxRetries ?? 3,
    });
    super(context, transport, adapter, options);
  }
}
