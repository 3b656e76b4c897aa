import { TcpTransport } from '../../drivers/transports/tcp-transport.js';
import { SimulatorControlError } from '../common/simulator.js';
import { EmvCardSimulator } from './emv-card-sim.js';
import { VPCD_PORT } from './vpcd-link.js';

/*
 * The virtual chip card as a process of its own, as in the field: the card
 * must not share an event loop with the PC/SC client, because pcscd calls
 * that touch the card (power down, status) block until the card answers.
 * Driven over the Node IPC channel: {id, action, body} → {id, result} or
 * {id, error}. `insert` and `remove` answer once the vpcd connection is up
 * or closed. KIOSK_EMV_CARD_PROFILE may hold profile fields as JSON;
 * KIOSK_VPCD_SLOT picks vpcd's slot (0 = "Virtual PCD 00 00", 1 = "… 00 01").
 */

interface Request {
  readonly id: number;
  readonly action: string;
  readonly body?: unknown;
}

const profile = process.env.KIOSK_EMV_CARD_PROFILE ? (JSON.parse(process.env.KIOSK_EMV_CARD_PROFILE) as object) : {};
const slot = Number(process.env.KIOSK_VPCD_SLOT ?? 0);
const card = new EmvCardSimulator({ profile, connect: () => new TcpTransport({ host: '127.0.0.1', port: VPCD_PORT + slot }) });

async function run(request: Request): Promise<unknown> {
  if (request.action === 'insert') await card.insert();
  else if (request.action === 'remove') await card.remove();
  else if (request.action === 'snapshot') return card.snapshot();
  else return card.control(request.action, request.body);
  return card.snapshot();
}

process.on('message', (message: Request) => {
  run(message).then(
    (result) => process.send?.({ id: message.id, result }),
    (err: unknown) => process.send?.({ id: message.id, error: err instanceof SimulatorControlError ? err.message : String(err) }),
  );
});
process.on('disconnect', () => {
  void card.remove().finally(() => process.exit(0));
});
process.send?.({ id: 0, result: 'ready' });
