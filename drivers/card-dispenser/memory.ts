import { binState } from '../card-reader/memory.js';
import { DeviceError } from '../common/completion.js';
import { MemoryDevice, type MemoryDeviceOptions } from '../common/memory-device.js';
import type {
  CardDispenserDevice,
  CardDispenserErrorCode,
  CardDispenserEvents,
  CardDispenserStatus,
  DispenseCardRequest,
  HopperState,
  IssuedCardPosition,
} from './contract.js';

export interface MemoryCardDispenserOptions extends MemoryDeviceOptions {
  /** Blank cards in the hopper; default 100. */
  readonly hopperCount?: number;
  /** The pre-empty sensor trips at this many cards or fewer; default 10. */
  readonly hopperLowAt?: number;
  readonly rejectCapacity?: number;
  readonly rejectThreshold?: number;
}

type CardDispenserCommand = 'dispense' | 'move' | 'retain' | 'reset';
type Place = Exclude<IssuedCardPosition, 'unknown'>;

function commandError(errorCode: CardDispenserErrorCode, message: string): DeviceError<CardDispenserErrorCode> {
  return new DeviceError('commandErrorCode', message, errorCode);
}

/** An in-memory card issuer with a counted hopper and reject bin. */
export class MemoryCardDispenser
  extends MemoryDevice<CardDispenserStatus, CardDispenserEvents, CardDispenserErrorCode, CardDispenserCommand>
  implements CardDispenserDevice
{
  readonly deviceClass = 'cardDispenser' as const;
  private readonly lowAt: number;
  private hopperCount: number;

  constructor(options: MemoryCardDispenserOptions) {
    const hopperCount = options.hopperCount ?? 100;
    const lowAt = options.hopperLowAt ?? 10;
    const capacity = options.rejectCapacity ?? 30;
    const threshold = options.rejectThreshold ?? 25;
    super(options, {
      device: 'online',
      devicePosition: 'inPosition',
      media: 'notPresent',
      hopper: hopperState(hopperCount, lowAt),
      rejectBin: { count: 0, threshold, capacity, state: binState(0, threshold, capacity) },
    });
    this.hopperCount = hopperCount;
    this.lowAt = lowAt;
  }

  dispense = (request: DispenseCardRequest, signal: AbortSignal) =>
    this.command('dispense', signal, () => {
      this.assertNotJammed();
      if (this.place() !== 'notPresent') throw commandError('occupied', 'a card is already in the transport');
      if (this.hopperCount === 0) throw commandError('hopperEmpty', 'hopper empty');
      this.setHopper(this.hopperCount - 1);
      this.moveTo(request.to);
    });

  move = (request: { readonly to: 'readWrite' | 'exit' }, signal: AbortSignal) =>
    this.command('move', signal, () => {
      this.assertNotJammed();
      if (this.place() === 'notPresent') throw commandError('noMedia', 'no card in the transport');
      if (this.place() !== request.to) this.moveTo(request.to);
    });

  retain = (_request: void, signal: AbortSignal) =>
    this.command('retain', signal, () => {
      this.assertNotJammed();
      if (this.place() === 'notPresent') throw commandError('noMedia', 'no card to retain');
      this.retainCard();
    });

  reset = (_request: void, signal: AbortSignal) =>
    this.command('reset', signal, () => {
      this.assertNotJammed();
      // A card at the exit is left for the customer; one inside cannot be trusted and is rejected.
      if (this.place() === 'readWrite') this.retainCard();
    });

  // ---- test side ----

  /** The customer takes the card at the exit; emits mediaTaken. False when none is there. */
  takeCard(): boolean {
    if (this.place() !== 'exit') return false;
    this.patchStatus({ media: 'notPresent' });
    this.hub.emit('mediaTaken', { position: 'exit' });
    return true;
  }

  /** An engineer refills the hopper to `count` cards. */
  loadHopper(count: number): void {
    this.setHopper(count);
  }

  /** The card in the transport sticks. False when there is none. */
  jamCard(): boolean {
    if (this.place() === 'notPresent') return false;
    this.patchStatus({ media: 'jammed' });
    return true;
  }

  /** An engineer removes the jammed card. */
  clearJam(): void {
    if (this.place() === 'jammed') this.patchStatus({ media: 'notPresent' });
  }

  // ---- internals ----

  private place(): Place {
    return this.getStatus().media as Place;
  }

  private moveTo(to: 'readWrite' | 'exit'): void {
    this.patchStatus({ media: to });
    if (to === 'exit') this.hub.emit('mediaPresented', { position: 'exit' });
  }

  private retainCard(): void {
    const bin = this.getStatus().rejectBin;
    if (bin.state === 'full') throw commandError('rejectBinFull', 'reject bin full');
    const count = bin.count + 1;
    this.patchStatus({
      media: 'notPresent',
      rejectBin: { ...bin, count, state: binState(count, bin.threshold, bin.capacity) },
    });
    this.hub.emit('mediaRetained', { rejectCount: count });
  }

  private assertNotJammed(): void {
    if (this.place() === 'jammed') throw commandError('mediaJam', 'card jammed');
  }

  private setHopper(count: number): void {
    this.hopperCount = count;
    const hopper = hopperState(count, this.lowAt);
    if (hopper === this.getStatus().hopper) return;
    this.patchStatus({ hopper });
    this.hub.emit('hopperThreshold', { hopper });
  }
}

function hopperState(count: number, lowAt: number): HopperState {
  if (count === 0) return 'empty';
  return count <= lowAt ? 'low' : 'ok';
}
