import { CanceledError } from '../common/completion.js';
import { EventHub, type Unsubscribe } from '../common/events.js';
import type { ApduTransport } from '../common/transport.js';
import type { CardReaderDevice } from './contract.js';

interface ChipEvents {
  presence: boolean;
  close: Error | undefined;
}

/**
 * The card reader's contact unit as an ApduTransport, so the EMV kernel talks
 * to the chip through the card-reader contract (ChipPower, ChipIO) whatever
 * the reader's model and however its chip is wired.
 */
export function chipTransport(reader: CardReaderDevice): ApduTransport {
  const hub = new EventHub<ChipEvents>();
  let open = false;
  let offMedia: Unsubscribe | undefined;
  const fail = (what: string, r: { completionCode: string; errorDescription?: string }): never => {
    if (r.completionCode === 'canceled') throw new CanceledError(`${what} canceled`);
    throw new Error(`${what} failed: ${r.completionCode} ${r.errorDescription ?? ''}`.trim());
  };
  return {
    kind: 'pcsc',
    description: `chip of ${reader.id}`,
    get isOpen() {
      return open;
    },
    open() {
      open = true;
      offMedia = reader.on('statusChanged', (changed) => {
        if (changed.media !== undefined) hub.emit('presence', changed.media === 'present');
      });
      return Promise.resolve();
    },
    close() {
      offMedia?.();
      if (open) hub.emit('close', undefined);
      open = false;
      return Promise.resolve();
    },
    onClose: (listener) => hub.on('close', listener),
    onPresence: (listener) => hub.on('presence', listener),
    async powerOn(signal) {
      const r = await reader.chipPower({ action: 'cold' }, signal ?? new AbortController().signal);
      if (r.completionCode !== 'success' || !r.payload.atr) return fail('chip power on', r);
      return r.payload.atr;
    },
    async powerOff() {
      await reader.chipPower({ action: 'off' }, new AbortController().signal);
    },
    async transmit(apdu, signal) {
      const r = await reader.chipIO({ data: apdu }, signal ?? new AbortController().signal);
      if (r.completionCode !== 'success') return fail('chip I/O', r);
      return r.payload.data;
    },
  };
}
