import { describe, expect, it } from 'vitest';
import { CreatorCardReader } from '../../drivers/card-reader/creator/creator-card-reader.js';
import { systemClock } from '../../drivers/common/clock.js';
import { EventHub } from '../../drivers/common/events.js';
import type { ApduTransport, ByteTransport } from '../../drivers/common/transport.js';
import { CreatorCardReaderSimulator } from '../../simulators/card-reader-creator/creator-card-reader-sim.js';
import { SERIAL_SIMULATORS } from '../../simulators/launcher/catalogue.js';
import { cardReaderContract, type CardReaderRig } from '../contract/card-reader.contract.js';
import { launchSimulators, overPipeAndPty } from './support/serial-rigs.js';

const ATR = Uint8Array.of(0x3b, 0x6e, 0x00, 0x00, 0x80, 0x31, 0x80, 0x66);
const DRIVER_OPTIONS = {
  pollIntervalMs: 25,
  ackTimeoutMs: 150,
  replyTimeoutMs: 300,
  motionTimeoutMs: 1000,
  retryDelayMs: 10,
  missedPollsOffline: 2,
  retainThreshold: 2,
  retainCapacity: 3,
};

/**
 * A PC/SC slot stand-in wired to the simulator's chip-contact hook, as the
 * launcher will wire the virtual EMV card to vpcd.
 */
function chipSlot(sim: CreatorCardReaderSimulator): ApduTransport {
  const hub = new EventHub<{ presence: boolean; close: Error | undefined }>();
  let present = false;
  sim.onChipContact((engaged) => {
    present = engaged;
    hub.emit('presence', engaged);
  });
  return {
    kind: 'memory',
    description: 'simulated chip contacts',
    isOpen: true,
    open: () => Promise.resolve(),
    close: () => Promise.resolve(),
    onClose: (l) => hub.on('close', l),
    powerOn: () => (present ? Promise.resolve(ATR.slice()) : Promise.reject(new Error('no card on the contacts'))),
    powerOff: () => Promise.resolve(),
    transmit: () => Promise.resolve(Uint8Array.of(0x90, 0x00)),
    onPresence: (l) => hub.on('presence', l),
  };
}

function rigFor(sim: CreatorCardReaderSimulator, host: ByteTransport, cleanup: () => Promise<void>): CardReaderRig {
  const reader = new CreatorCardReader({ id: 'cardReader', clock: systemClock }, host, DRIVER_OPTIONS, chipSlot(sim));
  return {
    reader,
    atr: ATR,
    insertCard: (card) => sim.control('insertCard', card),
    takeCard: () => sim.control('takeCard', {}),
    jam: (on) => sim.control('jam', { on }),
    fault: (fault) => sim.control('fault', fault),
    power: (on) => sim.control('power', { on }),
    retainBin: (bin) => sim.control('retainBin', bin),
    close: async () => {
      await reader.close();
      await cleanup();
    },
  };
}

overPipeAndPty(
  cardReaderContract,
  'Creator driver ↔ simulator',
  { pipeName: 'cardReader', serial: { baudRate: 9600 } },
  async (line) => {
    const sim = new CreatorCardReaderSimulator();
    await sim.attach(line.device);
    return rigFor(sim, line.host, async () => {
      await sim.detach();
      await line.close();
    });
  },
);

describe('card reader simulator in the launcher', () => {
  const launched = launchSimulators('kiosk-sim-', {
    pcsc: false,
    entries: SERIAL_SIMULATORS.filter((e) => e.name === 'cardReader'),
  });

  it('is in the catalogue and answers the developer API', async () => {
    const { sims } = launched;
    const post = (action: string, body: unknown) =>
      fetch(`${sims.controlUrl}/sim/cardReader/${action}`, { method: 'POST', body: JSON.stringify(body) });
    const inserted = await post('insertCard', { track2: '4761739001010010=2512', chip: true });
    expect(inserted.status).toBe(200);
    const snapshot = (await inserted.json()) as { position: string; card: unknown };
    expect(snapshot).toMatchObject({ position: 'entering', card: { tracks: [2], chip: true } });
    expect(JSON.stringify(snapshot)).not.toContain('4761739001010010');
    expect((await post('insertCard', { track2: 'x' })).status).toBe(400);
    expect((await post('fault', { kind: 'meltdown' })).status).toBe(400);
    expect((await post('takeCard', {})).status).toBe(200);
    expect(sims.ports.get('cardReader')).toBeDefined();
  });
});
