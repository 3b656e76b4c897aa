import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { CcnetAcceptor } from '../../drivers/cash-acceptor/ccnet/ccnet-acceptor.js';
import { systemClock } from '../../drivers/common/clock.js';
import { CcnetAcceptorSimulator } from '../../simulators/acceptor-ccnet/ccnet-acceptor-sim.js';
import { SERIAL_SIMULATORS } from '../../simulators/launcher/catalogue.js';
import { simulatedAcceptorContract } from './support/acceptor-rig.js';

const DRIVER_OPTIONS = {
  pollIntervalMs: 20,
  insertIdleMs: 150,
  replyTimeoutMs: 150,
  retries: 2,
  missedPollsOffline: 2,
};

simulatedAcceptorContract({
  label: 'CCNET driver ↔ simulator',
  pipeName: 'cashAcceptorCcnet',
  simulator: (options) => new CcnetAcceptorSimulator(options),
  driver: (host) => new CcnetAcceptor({ id: 'cashAcceptor', clock: systemClock }, host, DRIVER_OPTIONS),
});

describe('CCNET simulator in the launcher', () => {
  it('is in the catalogue as cashAcceptorCcnet', () => {
    const entry = SERIAL_SIMULATORS.find((e) => e.name === 'cashAcceptorCcnet');
    expect(entry?.create({ runDir: tmpdir() })).toBeInstanceOf(CcnetAcceptorSimulator);
  });
});
