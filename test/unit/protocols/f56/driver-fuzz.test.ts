import { describe, it } from 'vitest';
import { F56Dispenser } from '../../../../drivers/cash-dispenser/f56/f56-dispenser.js';
import { fuzzDispenserDriver } from '../../../contract/cash-dispenser-fuzz.js';

describe('F56 driver under fuzzed replies', () => {
  it('resolves every command, never throws and never hangs', async () => {
    await fuzzDispenserDriver(Uint8Array.of(0x10, 0x06), (clock, transport) =>
      new F56Dispenser({ id: 'cd', clock }, transport, {
        cassettes: [{ unitId: 'c1', currency: 'CNY', value: 10000, initialCount: 10 }],
        pollIntervalMs: 100,
        ackTimeoutMs: 200,
        replyTimeoutMs: 500,
      }),
    );
  });
});
