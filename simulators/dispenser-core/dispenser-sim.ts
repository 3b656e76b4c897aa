import { systemClock, type Clock } from '../../drivers/common/clock.js';
import type { ByteTransport } from '../../drivers/common/transport.js';
import { SimulatorControlError, type DeviceSimulator } from '../common/simulator.js';
import { SimulatorLine } from '../common/simulator-line.js';
import { DispenserControlSchemas, parseControl } from './control.js';
import { DispenserMechanism, type MechanismConfig } from './mechanism.js';

/** Development keys of the simulated firmware; a real unit is loaded with the bank's. */
export const DEV_HOST_KEY = '000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F';
export const DEV_DEVICE_KEY = 'F0E0D0C0B0A090807060504030201000F1E1D1C1B1A191817161514131211101';

export type DispenserSimConfig = Omit<MechanismConfig, 'clock' | 'name' | 'cassettes'> & Partial<Pick<MechanismConfig, 'cassettes' | 'clock'>>;

/** Four CNY cassettes (100, 50, 20, 10 yuan) of 50 notes, tokens enforced with the development keys. */
export function defaultMechanismConfig(name: string, config: DispenserSimConfig = {}): MechanismConfig {
  return {
    name,
    clock: config.clock ?? systemClock,
    cassettes: config.cassettes ?? [
      { value: 10000, currency: 'CNY', count: 50, serialPrefix: 'AA' },
      { value: 5000, currency: 'CNY', count: 50, serialPrefix: 'AB' },
      { value: 2000, currency: 'CNY', count: 50, serialPrefix: 'AC' },
      { value: 1000, currency: 'CNY', count: 50, serialPrefix: 'AD' },
    ],
    endToEnd: { hostKey: DEV_HOST_KEY, deviceKey: DEV_DEVICE_KEY, required: true },
    ...config,
  };
}

/**
 * What both simulated dispensers share around their wire codec: the physical
 * mechanism, the developer API (customer, engineer, faults, power) and the link
 * faults. A model implements `receive` and `answerFrame`.
 */
export abstract class DispenserSimulator implements DeviceSimulator {
  protected readonly mechanism: DispenserMechanism;
  private readonly line = new SimulatorLine((chunk) => {
    if (this.poweredOn) this.receive(chunk);
  });
  protected poweredOn = true;
  /** Link faults armed by the developer API. */
  protected readonly link = { noAnswer: 0, garbage: false };
  protected readonly clock: Clock;

  protected constructor(
    readonly name: string,
    mechanismConfig: MechanismConfig,
  ) {
    this.clock = mechanismConfig.clock;
    this.mechanism = new DispenserMechanism(mechanismConfig);
  }

  attach(transport: ByteTransport): Promise<void> {
    return this.line.attach(transport);
  }

  detach(): Promise<void> {
    return this.line.detach();
  }

  snapshot(): unknown {
    const s = this.mechanism.snapshot;
    return {
      poweredOn: this.poweredOn,
      cassettes: s.cassettes.map((c, i) => ({ unit: i + 1, present: c.present, denomination: c.value, currency: c.currency, count: c.notes.length, level: this.mechanism.level(i) })),
      stacker: s.stacker.map((n) => n.serial),
      exit: s.exit.map((n) => n.serial),
      shutterOpen: s.shutterOpen,
      rejectBin: { count: s.rejectBin.length, capacity: s.rejectCapacity },
      jammed: s.jammed,
      lastTransaction: s.last,
      nonceIssued: s.nonce !== null,
      link: { ...this.link },
    };
  }

  control(action: string, body: unknown): unknown {
    switch (action) {
      case 'takeNotes':
        parseControl(DispenserControlSchemas.takeNotes, body);
        this.mechanism.takeNotes();
        break;
      case 'leaveNotes':
        parseControl(DispenserControlSchemas.leaveNotes, body);
        break;
      case 'fault':
        this.fault(parseControl(DispenserControlSchemas.fault, body));
        break;
      case 'clear': {
        const clear = parseControl(DispenserControlSchemas.clear, body);
        if (clear.kind === 'rejectBinFull') this.mechanism.setRejectBinFull(false);
        else this.mechanism.setCassettePresent((clear.unit ?? 1) - 1, true);
        break;
      }
      case 'loadCassette': {
        const load = parseControl(DispenserControlSchemas.loadCassette, body);
        this.mechanism.loadCassette(load.unit - 1, load.denomination, load.currency, load.count);
        break;
      }
      case 'power': {
        const { on } = parseControl(DispenserControlSchemas.power, body);
        if (!on) this.mechanism.halt();
        else if (!this.poweredOn) this.mechanism.powerUp();
        this.poweredOn = on;
        this.onPower(on);
        break;
      }
      default:
        throw new SimulatorControlError(`unknown action "${action}"`);
    }
    return this.snapshot();
  }

  /** The mechanism, for tests that check the physical truth. */
  get device(): DispenserMechanism {
    return this.mechanism;
  }

  protected abstract receive(chunk: Uint8Array): void;
  /** Power changes reset the model's link state. */
  protected abstract onPower(on: boolean): void;

  protected send(bytes: Uint8Array): void {
    if (!this.poweredOn) return;
    void this.line.transport?.write(bytes).catch(() => undefined);
  }

  private fault(fault: ReturnType<typeof DispenserControlSchemas.fault.parse>): void {
    const armed = this.mechanism.faults;
    switch (fault.kind) {
      case 'pickupError':
        armed.pickupError = true;
        break;
      case 'jam':
        armed.jam = fault.sensor;
        break;
      case 'doubleNote':
        armed.rejects.push('D');
        break;
      case 'noteTooLong':
        armed.rejects.push('L');
        break;
      case 'noteTooShort':
        armed.rejects.push('S');
        break;
      case 'cassetteMissing':
        this.mechanism.setCassettePresent(fault.unit - 1, false);
        break;
      case 'rejectBinFull':
        this.mechanism.setRejectBinFull(true);
        break;
      case 'noAnswer':
        this.link.noAnswer += fault.count ?? 1;
        break;
      case 'garbage':
        this.link.garbage = true;
        break;
    }
  }
}
