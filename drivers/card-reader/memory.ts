import { DeviceError } from '../common/completion.js';
import { MemoryDevice, type MemoryDeviceOptions } from '../common/memory-device.js';
import type {
  BinState,
  CardBinStatus,
  CardMediaState,
  CardPosition,
  CardReaderCapabilities,
  CardReaderDevice,
  CardReaderErrorCode,
  CardReaderEvents,
  CardReaderStatus,
  ChipIOResult,
  ChipPowerResult,
  ChipPowerRequest,
  ChipIORequest,
  DataSource,
  MoveCardRequest,
  ReadRawDataRequest,
  ReadRawDataResult,
  ResetCardReaderRequest,
} from './contract.js';

/** A card a test inserts. */
export interface TestCard {
  readonly track1?: string;
  readonly track2?: string;
  readonly track3?: string;
  /** The chip's answer to reset; absent = no chip or a dead one. */
  readonly atr?: Uint8Array;
  /** Defaults to chipT1. */
  readonly protocol?: 'chipT0' | 'chipT1';
  /** Answers command APDUs; the default answers 6D00 (instruction not supported). */
  readonly respond?: (apdu: Uint8Array) => Uint8Array;
  /** A card the reader refuses and returns to the gate. */
  readonly defect?: 'invalidMedia' | 'cardTooShort' | 'cardTooLong';
}

export interface MemoryCardReaderOptions extends MemoryDeviceOptions {
  readonly capabilities?: Partial<CardReaderCapabilities>;
  readonly retainCapacity?: number;
  readonly retainThreshold?: number;
  /** Cards already in the retain bin. */
  readonly retainCount?: number;
}

type CardReaderCommand = 'readRawData' | 'move' | 'reset' | 'resetCount' | 'chipPower' | 'chipIO';
/** `gate` = at the exit, `inside` = in the transport; `jammed` keeps the card stuck. */
type Place = 'none' | 'gate' | 'inside' | 'jammed';

const MEDIA: Readonly<Record<Place, CardMediaState>> = {
  none: 'notPresent',
  gate: 'entering',
  inside: 'present',
  jammed: 'jammed',
};

const NO_DATA = new Uint8Array(0);
const INS_NOT_SUPPORTED = new Uint8Array([0x6d, 0x00]);

/** Bin fill level: `full` at capacity, `high` from the threshold. */
export function binState(count: number, threshold: number, capacity: number): BinState {
  if (count >= capacity) return 'full';
  return count >= threshold ? 'high' : 'ok';
}

/** An in-memory motorised card reader with a chip contact unit and a retain bin. */
export class MemoryCardReader
  extends MemoryDevice<CardReaderStatus, CardReaderEvents, CardReaderErrorCode, CardReaderCommand>
  implements CardReaderDevice
{
  readonly deviceClass = 'cardReader' as const;
  private readonly capabilities: CardReaderCapabilities;
  private readonly insertion = this.createWait<void>();
  private card: TestCard | undefined;
  private place: Place = 'none';
  private chipPowered = false;

  constructor(options: MemoryCardReaderOptions) {
    const capacity = options.retainCapacity ?? 50;
    const threshold = options.retainThreshold ?? 40;
    const count = options.retainCount ?? 0;
    super(options, {
      device: 'online',
      devicePosition: 'inPosition',
      media: 'notPresent',
      chipPower: 'noCard',
      retainBin: { count, threshold, capacity, state: binState(count, threshold, capacity) },
    });
    this.capabilities = {
      type: 'motor',
      tracks: [1, 2, 3],
      chip: true,
      cardTakenSensor: true,
      ...options.capabilities,
    };
  }

  getCapabilities(): CardReaderCapabilities {
    return this.capabilities;
  }

  readRawData = (request: ReadRawDataRequest, signal: AbortSignal) =>
    this.command('readRawData', signal, async (): Promise<ReadRawDataResult> => {
      this.assertNotJammed();
      if (this.place !== 'inside') {
        // Wait first so that a listener may insert the card synchronously.
        const inserted = this.insertion.wait(signal);
        this.hub.emit('insertCard', undefined);
        await inserted;
      }
      return this.read(request);
    });

  move = (request: MoveCardRequest, signal: AbortSignal) =>
    this.command('move', signal, () => {
      this.assertNotJammed();
      const here = this.position();
      if (here === undefined || (request.from !== undefined && request.from !== here)) {
        throw new DeviceError<CardReaderErrorCode>('commandErrorCode', `no card at ${request.from ?? 'any position'}`, 'noMedia');
      }
      this.moveTo(request.to, 'full');
    });

  reset = (request: ResetCardReaderRequest, signal: AbortSignal) =>
    this.command('reset', signal, () => {
      this.assertNotJammed();
      this.setChipPowered(false);
      if (this.card === undefined || request.to === 'currentPosition') return;
      this.moveTo(request.to === 'exit' ? 'exit' : 'retain', 'retainBinFull');
    });

  resetCount = (_request: void, signal: AbortSignal) =>
    this.command('resetCount', signal, (): CardBinStatus => {
      const bin = this.getStatus().retainBin;
      this.patchStatus({ retainBin: { ...bin, count: 0, state: binState(0, bin.threshold, bin.capacity) } });
      return this.getStatus().retainBin;
    });

  chipPower = (request: ChipPowerRequest, signal: AbortSignal) =>
    this.command('chipPower', signal, (): ChipPowerResult => {
      this.assertNotJammed();
      const card = this.cardInside();
      if (request.action === 'off') {
        this.setChipPowered(false);
        return {};
      }
      if (card.atr === undefined) {
        this.setChipPowered(false);
        throw new DeviceError<CardReaderErrorCode>('commandErrorCode', 'chip did not answer reset', 'atrNotObtained');
      }
      this.setChipPowered(true);
      return { atr: card.atr.slice() };
    });

  chipIO = (request: ChipIORequest, signal: AbortSignal) =>
    this.command('chipIO', signal, (): ChipIOResult => {
      this.assertNotJammed();
      const card = this.cardInside();
      if (!this.chipPowered) throw new DeviceError('sequenceError', 'chip is not powered');
      if (request.protocol !== undefined && request.protocol !== (card.protocol ?? 'chipT1')) {
        throw new DeviceError<CardReaderErrorCode>('commandErrorCode', `card does not speak ${request.protocol}`, 'protocolNotSupported');
      }
      // CLA INS P1 P2 is the shortest valid command APDU.
      if (request.data.length < 4) {
        throw new DeviceError<CardReaderErrorCode>('commandErrorCode', 'APDU shorter than its header', 'invalidData');
      }
      return { data: card.respond?.(request.data.slice()) ?? INS_NOT_SUPPORTED.slice() };
    });

  // ---- test side ----

  /**
   * The customer inserts a card. Returns false when the shutter is closed (no
   * read is waiting) or the gate still holds a card; the card is then not taken in.
   */
  insertCard(card: TestCard): boolean {
    if (!this.insertion.active || this.place !== 'none') return false;
    this.card = card;
    this.hub.emit('mediaInserted', undefined);
    if (card.defect !== undefined) {
      if (card.defect === 'invalidMedia') this.hub.emit('invalidMedia', undefined);
      this.setPlace('gate');
      this.insertion.reject(
        new DeviceError<CardReaderErrorCode>('commandErrorCode', 'card refused', card.defect),
      );
      return true;
    }
    this.setPlace('inside');
    this.insertion.settle();
    return true;
  }

  /** The customer takes the card at the gate; emits mediaRemoved. False when none is there. */
  takeCard(): boolean {
    if (this.place !== 'gate') return false;
    this.card = undefined;
    this.setPlace('none');
    this.hub.emit('mediaRemoved', undefined);
    return true;
  }

  /** The firmware captures the card by itself (emits cardAction). False when there is no card or the bin is full. */
  deviceRetain(): boolean {
    const from = this.position();
    if (from === undefined || this.getStatus().retainBin.state === 'full') return false;
    this.retainCard();
    this.hub.emit('cardAction', { from, to: 'retain' });
    return true;
  }

  /** The card sticks in the transport. False when there is no card. */
  jamCard(): boolean {
    if (this.card === undefined) return false;
    this.setPlace('jammed');
    return true;
  }

  /** An engineer removes the jammed card. */
  clearJam(): void {
    if (this.place !== 'jammed') return;
    this.card = undefined;
    this.setPlace('none');
  }

  // ---- internals ----

  private read(request: ReadRawDataRequest): ReadRawDataResult {
    const card = this.cardInside();
    const track = (text: string | undefined): DataSource =>
      text === undefined
        ? { status: 'dataMissing', data: NO_DATA }
        : { status: 'ok', data: new TextEncoder().encode(text) };
    let chip: DataSource | undefined;
    if (request.chip) {
      this.setChipPowered(card.atr !== undefined);
      chip = card.atr === undefined ? { status: 'dataMissing', data: NO_DATA } : { status: 'ok', data: card.atr.slice() };
    }
    return {
      ...(request.track1 ? { track1: track(card.track1) } : {}),
      ...(request.track2 ? { track2: track(card.track2) } : {}),
      ...(request.track3 ? { track3: track(card.track3) } : {}),
      ...(chip ? { chip } : {}),
    };
  }

  private moveTo(to: CardPosition, binFullCode: CardReaderErrorCode): void {
    if (to === 'retain') {
      if (this.getStatus().retainBin.state === 'full') {
        throw new DeviceError<CardReaderErrorCode>('commandErrorCode', 'retain bin full', binFullCode);
      }
      this.retainCard();
      this.hub.emit('mediaRetained', { retainCount: this.getStatus().retainBin.count });
      return;
    }
    this.chipPowered = false;
    this.setPlace(to === 'exit' ? 'gate' : 'inside');
  }

  private retainCard(): void {
    const bin = this.getStatus().retainBin;
    const count = bin.count + 1;
    this.card = undefined;
    this.chipPowered = false;
    this.patchStatus({ retainBin: { ...bin, count, state: binState(count, bin.threshold, bin.capacity) } });
    this.setPlace('none');
  }

  private position(): 'exit' | 'transport' | undefined {
    if (this.place === 'gate') return 'exit';
    return this.place === 'inside' ? 'transport' : undefined;
  }

  private cardInside(): TestCard {
    if (this.place !== 'inside' || this.card === undefined) {
      throw new DeviceError<CardReaderErrorCode>('commandErrorCode', 'no card in the reader', 'noMedia');
    }
    return this.card;
  }

  private assertNotJammed(): void {
    if (this.place === 'jammed') {
      throw new DeviceError<CardReaderErrorCode>('commandErrorCode', 'card jammed', 'mediaJam');
    }
  }

  private setChipPowered(powered: boolean): void {
    this.chipPowered = powered;
    this.setPlace(this.place);
  }

  private setPlace(place: Place): void {
    this.place = place;
    if (place !== 'inside') this.chipPowered = false;
    this.patchStatus({
      media: MEDIA[place],
      chipPower: place !== 'inside' ? 'noCard' : this.chipPowered ? 'online' : 'poweredOff',
    });
  }
}
