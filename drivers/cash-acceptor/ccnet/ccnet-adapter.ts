import { DeviceError } from '../../common/completion.js';
import type { CashItem } from '../../storage/contract.js';
import type { ClassifiedNote } from '../contract.js';
import type {
  AcceptorAdapter,
  AcceptorCondition,
  AcceptorEvent,
  AcceptorIdentity,
  BezelContent,
  CommitRoute,
} from '../escrow-core-adapter.js';
import {
  commands,
  ILLEGAL_COMMAND,
  parseBillTable,
  parseIdentification,
  type BillType,
} from '../../protocols/ccnet/commands.js';
import { parseState, type CcnetState } from '../../protocols/ccnet/states.js';
import type { CcnetLink } from './ccnet-link.js';

const STEADY: Partial<Record<CcnetState['name'], keyof AcceptorCondition>> = {
  validatorJammed: 'jammed',
  cassetteJammed: 'jammed',
  cassetteOut: 'cashboxMissing',
  cassetteFull: 'stackerFull',
};

/** CashCode CCNET validator with a drop cassette (no recycling) for the escrow core. */
export class CcnetAdapter implements AcceptorAdapter {
  readonly protocol = 'ccnet';
  private bills: readonly BillType[] = [];

  constructor(private readonly link: CcnetLink) {}

  start(): void {
    this.link.start();
  }

  stop(): void {
    this.link.stop();
  }

  async initialise(): Promise<{ identity: AcceptorIdentity; bezel: BezelContent }> {
    await this.ack(commands.reset());
    const id = parseIdentification(await this.link.exchange(commands.identification()));
    const table = parseBillTable(await this.link.exchange(commands.getBillTable()));
    if (!id || !table) throw new DeviceError('hardwareError', 'bad identification or bill table');
    this.bills = table;
    await this.ack(commands.escrowMode(true));
    await this.ack(commands.enableBillTypes([], []));
    // The bezel query says only whether notes lie there, not what they are worth.
    const bezel = await this.link.exchange(commands.bezel());
    return {
      identity: {
        modelName: `CashCode ${id.partNumber}`,
        serialNumber: id.serialNumber,
        firmware: id.partNumber,
        noteTypes: table.map(({ currency, value }) => ({ currency, value })),
      },
      bezel: { occupied: bezel[0] === 1, amounts: [] },
    };
  }

  async poll(): Promise<{ events: AcceptorEvent[]; condition: AcceptorCondition }> {
    const state = parseState(await this.link.exchange(commands.poll()));
    const bezel = await this.link.exchange(commands.bezel());
    const steady = state ? STEADY[state.name] : undefined;
    const event = state ? this.map(state) : undefined;
    return {
      events: event ? [event] : [],
      condition: {
        jammed: steady === 'jammed',
        cashboxMissing: steady === 'cashboxMissing',
        stackerFull: steady === 'stackerFull',
        bezelOccupied: bezel[0] === 1,
      },
    };
  }

  async setAcceptance(items: readonly CashItem[]): Promise<void> {
    const types = this.bills
      .filter((b) => items.some((i) => i.currency === b.currency && i.value === b.value))
      .map((b) => b.type);
    await this.ack(commands.enableBillTypes(types, types));
  }

  async acceptHead(): Promise<void> {
    await this.ack(commands.stack());
  }

  async refuseHead(): Promise<void> {
    await this.ack(commands.return());
  }

  /** The drop cassette takes everything: there is nothing to recycle into. */
  async commitEscrow(_useRecycleUnits: boolean): Promise<readonly CommitRoute[] | undefined> {
    const reply = await this.link.exchange(commands.commitEscrow());
    if (reply[0] === ILLEGAL_COMMAND || reply.length !== 1) return undefined;
    return Array.from({ length: reply[0]! }, () => 'cashbox' as const);
  }

  async returnEscrow(): Promise<void> {
    await this.ack(commands.returnEscrow());
  }

  async reset(): Promise<void> {
    await this.ack(commands.reset());
  }

  private async ack(command: Uint8Array): Promise<void> {
    const reply = await this.link.exchange(command);
    if (reply.length !== 1 || reply[0] !== 0x00)
      throw new DeviceError('hardwareError', `command 0x${command[0]!.toString(16)} not acknowledged`);
  }

  private map(state: CcnetState): AcceptorEvent | undefined {
    const item = (type: number): CashItem => this.bills.find((b) => b.type === type) ?? { currency: '', value: 0 };
    const note = (type: number, classification: ClassifiedNote['classification'], serial: string): ClassifiedNote => {
      const { currency, value } = item(type);
      return { currency, value, classification, ...(serial ? { serialNumber: serial } : {}) };
    };
    switch (state.name) {
      case 'powerUp':
      case 'powerUpInValidator':
      case 'powerUpInStacker':
        return { kind: 'restarted' };
      case 'accepting':
        return { kind: 'reading' };
      case 'escrow':
        return { kind: 'noteAtHead', item: item(state.billType) };
      case 'escrowed':
        return { kind: 'escrowed', note: note(state.billType, state.unfit ? 'unfit' : 'fit', state.serial) };
      case 'retained':
        return {
          kind: 'retained',
          note: note(state.billType, state.suspect ? 'suspect' : 'counterfeit', state.serial),
        };
      case 'rejecting':
      case 'returned':
        return { kind: 'returned' };
      case 'cheated':
        return { kind: 'fraudAttempt' };
      default:
        return undefined;
    }
  }
}
