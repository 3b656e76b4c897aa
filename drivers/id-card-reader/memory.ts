import { DeviceError } from '../common/completion.js';
import { MemoryDevice, type MemoryDeviceOptions } from '../common/memory-device.js';
import type {
  IdCardReaderDevice,
  IdCardReaderErrorCode,
  IdCardReaderEvents,
  IdCardReaderStatus,
  ResidentIdentity,
} from './contract.js';

/** An in-memory resident-ID reader; tests lay cards on it and lift them off. */
export class MemoryIdCardReader
  extends MemoryDevice<IdCardReaderStatus, IdCardReaderEvents, IdCardReaderErrorCode, 'readCard'>
  implements IdCardReaderDevice
{
  readonly deviceClass = 'idCardReader' as const;
  private readonly placed = this.createWait<void>();
  private card: ResidentIdentity | undefined;

  constructor(options: MemoryDeviceOptions) {
    super(options, { device: 'online', devicePosition: 'inPosition', media: 'notPresent', sam: 'ok' });
  }

  readCard = (_request: void, signal: AbortSignal) =>
    this.command('readCard', signal, async (): Promise<ResidentIdentity> => {
      if (this.getStatus().sam !== 'ok') {
        throw new DeviceError<IdCardReaderErrorCode>('commandErrorCode', 'SAM not ready', 'samError');
      }
      if (this.card === undefined) {
        const found = this.placed.wait(signal);
        this.hub.emit('insertCard', undefined);
        await found;
      }
      const card = this.card;
      if (card === undefined) throw new DeviceError<IdCardReaderErrorCode>('commandErrorCode', 'card lifted', 'noCard');
      return { ...card, photo: card.photo.slice() };
    });

  // ---- test side ----

  /** The customer lays a card on the pad; emits mediaInserted. False when one is already there. */
  placeCard(identity: ResidentIdentity): boolean {
    if (this.card !== undefined) return false;
    this.card = identity;
    this.patchStatus({ media: 'present' });
    this.hub.emit('mediaInserted', undefined);
    this.placed.settle();
    return true;
  }

  /** The customer lifts the card; emits mediaRemoved. */
  removeCard(): boolean {
    if (this.card === undefined) return false;
    this.card = undefined;
    this.patchStatus({ media: 'notPresent' });
    this.hub.emit('mediaRemoved', undefined);
    return true;
  }

  /** The SAM fails (`error`) or recovers (`ok`). */
  setSam(sam: 'ok' | 'error'): void {
    this.patchStatus({ sam });
  }
}
