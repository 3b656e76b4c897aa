import type { Unsubscribe } from '../../drivers/common/events.js';
import type { DeviceSimulator } from '../common/simulator.js';
import { TcpTransport } from '../../drivers/transports/tcp-transport.js';
import { EmvCardSimulator } from '../emv-card/emv-card-sim.js';
import { VPCD_PORT } from '../emv-card/vpcd-link.js';

/** A card-reader simulator whose card can touch the chip contacts. */
interface WithChipContact {
  onChipContact(listener: (engaged: boolean) => void): Unsubscribe;
}

function hasChipContact(simulator: DeviceSimulator): simulator is DeviceSimulator & WithChipContact {
  return typeof (simulator as Partial<WithChipContact>).onChipContact === 'function';
}

/**
 * Joins the card reader's contact unit to the chip reader: when the simulated
 * card lands on the contacts, the virtual EMV card connects to vsmartcard's
 * vpcd (so pcscd sees a card in "Virtual PCD 00 <slot>"); when it leaves, the
 * card disconnects. The card runs in the simulators' process, never in the
 * runtime's, because PC/SC calls block until the card answers.
 */
export function wireChipContact(simulators: Iterable<DeviceSimulator>, vpcdSlot = 0): EmvCardSimulator | undefined {
  const reader = [...simulators].find(hasChipContact);
  if (!reader) return undefined;
  const card = new EmvCardSimulator({
    connect: () => new TcpTransport({ host: '127.0.0.1', port: VPCD_PORT + vpcdSlot }),
  });
  let queue = Promise.resolve();
  reader.onChipContact((engaged) => {
    // Contacts can touch and lift quickly; apply the changes in order.
    queue = queue.then(() => (engaged ? card.insert() : card.remove())).catch(() => undefined);
  });
  return card;
}
