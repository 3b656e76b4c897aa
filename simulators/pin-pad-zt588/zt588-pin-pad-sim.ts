import { Buffer } from 'node:buffer';
import { systemClock, type Clock } from '../../drivers/common/clock.js';
import type { ByteTransport } from '../../drivers/common/transport.js';
import { SimulatorLine } from '../common/simulator-line.js';
import { CryptoInputError } from '../../main/crypto/errors.js';
import { systemRandom, type RandomSource } from '../../main/crypto/random.js';
import { SimulatorControlError, type DeviceSimulator } from '../common/simulator.js';
import { ControlSchemas, parseControl } from './control.js';
import { EPP_ERRORS, EppError } from './epp-error.js';
import { KeyStore } from './key-store.js';
import { Keypad, type KeyName } from './keypad.js';
import { SecureElement } from './secure-element.js';
import { CommandFrameReader, frameReply } from './wire.js';

export interface Zt588SimulatorOptions {
  /** Folder for the EPP's non-volatile memory (keys and settings). */
  readonly stateDir: string;
  readonly name?: string;
  readonly clock?: Clock;
  readonly random?: RandomSource;
  /** Whether this unit takes AES keys and builds ISO format 4 blocks (extension; default true). */
  readonly aes?: boolean;
}

const MODEL = 'ZT588 ';
const HARDWARE = 'H10';
const SOFTWARE = 'S21';
const PRODUCTION_DATE = '2401';
const SERIAL = '0588';
/** The longest message `H` collects (its offset field has four digits). */
const MAC_MESSAGE_MAX = 9999;

function hex(bytes: Uint8Array | readonly number[]): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

function bytesOf(hexText: string): Uint8Array {
  if (!/^([0-9A-Fa-f]{2})*$/.test(hexText)) throw new EppError(EPP_ERRORS.data, 'not hex');
  return Uint8Array.from(Buffer.from(hexText, 'hex'));
}

function slotAt(text: string, at: number): number {
  const field = text.slice(at, at + 2);
  if (!/^[0-9A-Fa-f]{2}$/.test(field)) throw new EppError(EPP_ERRORS.parameter, 'slot is not two hex digits');
  return Number.parseInt(field, 16);
}

function ascii(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}

/**
 * Device side of a Zhengtong ZT588 encrypting PIN pad (protocols.md §5a) with
 * a secure-element model: keys persist in the state folder; the clear PIN is
 * collected from developer key presses, lives only in the Keypad, and is wiped
 * when its PIN block is built, on cancel, timeout, reset or power loss. It is
 * never written to disk, logged or returned by `snapshot`.
 */
export class Zt588PinPadSimulator implements DeviceSimulator {
  readonly name: string;
  private readonly store: KeyStore;
  private readonly element: SecureElement;
  private readonly keypad: Keypad;
  private readonly reader = new CommandFrameReader();
  private readonly aes: boolean;
  private readonly line = new SimulatorLine((chunk) => this.receive(chunk));
  private poweredOn = true;
  private beeps = 0;
  private errorStatus: number | undefined;
  private corruptReplies = 0;
  /** What `6` named, for a bare `7`. */
  private boundEntry = { slot: 0, format: ' ', pan12: '000000000000' };
  /** The message `H` pieces have brought so far, and the TAK slot they name. */
  private macMessage: { slot: number; bytes: Uint8Array } | undefined;

  constructor(options: Zt588SimulatorOptions) {
    this.name = options.name ?? 'pinPad';
    this.aes = options.aes ?? true;
    this.store = new KeyStore(options.stateDir);
    this.element = new SecureElement(this.store, options.random ?? systemRandom, this.aes);
    this.keypad = new Keypad(options.clock ?? systemClock, (byte) => this.send(Uint8Array.of(byte)));
  }

  attach(transport: ByteTransport): Promise<void> {
    return this.line.attach(transport);
  }

  async detach(): Promise<void> {
    this.keypad.wipe();
    this.macMessage = undefined;
    await this.line.detach();
  }

  snapshot(): unknown {
    return {
      poweredOn: this.poweredOn,
      ...this.keypad.state,
      keys: this.store.slots().map(([slot, key]) => ({ slot, type: key.type, lengthCode: key.lengthCode })),
      settings: { ...this.store.settings },
      beeps: this.beeps,
    };
  }

  control(action: string, body: unknown): unknown {
    switch (action) {
      case 'pressKey':
        return { accepted: this.press(parseControl(ControlSchemas.pressKey, body).key) };
      case 'typePin': {
        const { digits, enter } = parseControl(ControlSchemas.typePin, body);
        const accepted = [...digits].map((d) => this.press(d as KeyName));
        if (enter ?? true) accepted.push(this.press('enter'));
        return { accepted: accepted.every(Boolean) };
      }
      case 'fault': {
        const fault = parseControl(ControlSchemas.fault, body);
        if (fault.clear) {
          this.errorStatus = undefined;
          this.corruptReplies = 0;
        }
        if (fault.errorStatus !== undefined) this.errorStatus = fault.errorStatus;
        if (fault.corruptReplies !== undefined) this.corruptReplies = fault.corruptReplies;
        if (fault.noise) this.send(Uint8Array.from(fault.noise));
        break;
      }
      case 'power':
        this.poweredOn = parseControl(ControlSchemas.power, body).on;
        if (!this.poweredOn) {
          this.keypad.wipe();
          this.macMessage = undefined;
        }
        break;
      default:
        throw new SimulatorControlError(`PIN pad has no action "${action}"`);
    }
    return this.snapshot();
  }

  private press(key: KeyName): boolean {
    return this.poweredOn && this.keypad.press(key);
  }

  private send(bytes: Uint8Array): void {
    if (this.poweredOn) void this.line.transport?.write(bytes).catch(() => undefined);
  }

  private receive(chunk: Uint8Array): void {
    if (!this.poweredOn) return;
    for (const command of this.reader.push(chunk)) {
      let text: number[];
      if (this.errorStatus !== undefined) {
        text = [this.errorStatus];
      } else {
        try {
          text = this.execute(command);
        } catch (err) {
          if (err instanceof EppError) text = [err.status];
          else if (err instanceof CryptoInputError) text = [EPP_ERRORS.data];
          else text = [EPP_ERRORS.general];
        }
      }
      const corrupt = this.corruptReplies > 0;
      if (corrupt) this.corruptReplies -= 1;
      this.send(frameReply(text, corrupt));
    }
  }

  /** Runs one command; returns the reply text (status byte = the command character, then the body). */
  private execute(command: string): number[] {
    const code = command[0] ?? '';
    const args = command.slice(1);
    const reply = (body = ''): number[] => ascii(code + body);
    switch (code) {
      case '1': {
        if (args.length < 4) throw new EppError(EPP_ERRORS.commandLength, 'short load-key command');
        const kcv = this.element.loadPlain(slotAt(args, 0), Number(args[2]), Number(args[3]), bytesOf(args.slice(4)));
        return reply(hex(kcv));
      }
      case '2': {
        if (args.length < 6) throw new EppError(EPP_ERRORS.commandLength, 'short load-key command');
        const [under, slot, type, length] = [slotAt(args, 0), slotAt(args, 2), Number(args[4]), Number(args[5])];
        if (type === 0 && length === 0) {
          this.element.delete(slot);
          return reply();
        }
        return reply(hex(this.element.loadEncrypted(under, slot, type, length - 1, bytesOf(args.slice(6)))));
      }
      case '3':
        if (args.length > 0) {
          this.store.settings.userData = args.slice(0, 50);
          this.store.saveSettings();
          return reply();
        }
        return reply(this.userInformation());
      case '4': {
        const table = bytesOf(args);
        if (table.length !== 24) throw new EppError(EPP_ERRORS.commandLength, 'scan table must have 24 entries');
        this.store.settings.scanCodes = [...table];
        this.store.saveSettings();
        return reply();
      }
      case '5':
        this.controlCommand(args);
        return reply();
      case '6':
        this.startPinEntry(args);
        return reply();
      case '7':
        return reply(this.pinBlock(args));
      case '8': {
        const key = this.element.detail(slotAt(args, 0));
        return reply(`${key.type}${key.lengthCode}`);
      }
      case 'H':
        return reply(this.macPiece(args));
      case 'F': {
        if (args.length < 3) throw new EppError(EPP_ERRORS.commandLength, 'crypt takes slot, mode, data');
        return reply(hex(this.element.crypt(slotAt(args, 0), args[2] ?? '', bytesOf(args.slice(3)))));
      }
      default:
        throw new EppError(EPP_ERRORS.general, 'unknown command');
    }
  }

  /** `5 p v`: p selects the setting, v is its value in hex. */
  private controlCommand(args: string): void {
    const [value] = bytesOf(args.slice(1));
    if (value === undefined || args.length !== 3) throw new EppError(EPP_ERRORS.commandLength, 'control takes one value byte');
    const settings = this.store.settings;
    switch (args[0]) {
      case '0':
        this.misc(String.fromCharCode(value));
        return;
      case '2':
        settings.inputTimeSeconds = value;
        break;
      case '3':
        settings.pinMask = value;
        break;
      case '4':
        settings.minLength = value;
        break;
      case '5':
        settings.maxLength = value;
        break;
      case '6':
        // '7' hex mode, '0' the older mode, 'H'..'O' baud rates (a pty has none).
        if (value === 0x37 || value === 0x30) settings.hexMode = value === 0x37;
        break;
      case '8':
        break;
      default:
        throw new EppError(EPP_ERRORS.parameter, 'unknown control');
    }
    this.store.saveSettings();
  }

  private misc(action: string): void {
    switch (action) {
      case '0':
        this.keypad.wipe();
        return;
      case '1':
        this.keypad.wipe();
        this.store.wipe();
        return;
      case '2':
        this.keypad.disable();
        return;
      case '3':
        this.keypad.enablePlain(this.store.settings);
        return;
      case '4':
      case '5':
        this.store.settings.sound = action === '5';
        this.store.saveSettings();
        return;
      case '=':
        this.beeps += 1;
        return;
      default:
        throw new EppError(EPP_ERRORS.parameter, 'unknown misc control');
    }
  }

  /** `6` slot(2) format(1) hint(1) autoLength(2) PAN(12). */
  private startPinEntry(args: string): void {
    const match = /^([0-9A-Fa-f]{2})(.)(\d)(\d{2})(\d{12})$/.exec(args);
    if (!match) throw new EppError(EPP_ERRORS.commandLength, 'start PIN entry takes slot, format, hint, length, PAN');
    const [, slot, format, , autoLength, pan12] = match as unknown as [string, string, string, string, string, string];
    this.boundEntry = { slot: Number.parseInt(slot, 16), format, pan12 };
    this.keypad.startPin(this.store.settings, Number(autoLength));
  }

  /** `7`, or `7` slot(2) format(1) panLength(2) PAN (extension). A built block consumes the PIN. */
  private pinBlock(args: string): string {
    let { slot, format } = this.boundEntry;
    // The bound PAN field is already the 12 digits; a dummy check digit makes it a PAN for the block builder.
    let pan = `${this.boundEntry.pan12}0`;
    if (args.length > 0) {
      const match = /^([0-9A-Fa-f]{2})(.)(\d{2})(\d*)$/.exec(args);
      if (!match || Number(match[3]) !== (match[4] ?? '').length) {
        throw new EppError(EPP_ERRORS.commandLength, 'get PIN block takes slot, format, PAN length, PAN');
      }
      slot = Number.parseInt(match[1] ?? '', 16);
      format = match[2] ?? '';
      pan = match[4] ?? '';
    }
    return this.keypad.usePin((pin) => {
      if (pin === undefined) throw new EppError(EPP_ERRORS.data, 'no PIN entered');
      const block = this.element.pinBlock(pin, slot, format, pan);
      return `00${String(pin.length).padStart(2, '0')}${hex(block)}`;
    });
  }

  /**
   * `H` slot(2) last(1) offset(4) data: a piece at offset 0 starts a message; a
   * later piece must start within what is held and replaces the rest (a resent
   * piece lands where it did the first time). The last piece answers the MAC.
   */
  private macPiece(args: string): string {
    const match = /^([0-9A-Fa-f]{2})([01])(\d{4})((?:[0-9A-Fa-f]{2})*)$/.exec(args);
    if (!match) throw new EppError(EPP_ERRORS.commandLength, 'MAC takes slot, last, offset, data');
    const slot = slotAt(args, 0);
    const offset = Number(match[3]);
    const piece = bytesOf(match[4] ?? '');
    const held = this.macMessage;
    if (offset > 0 && (held === undefined || held.slot !== slot || offset > held.bytes.length)) {
      throw new EppError(EPP_ERRORS.data, 'MAC piece does not follow the message held');
    }
    if (offset + piece.length > MAC_MESSAGE_MAX) throw new EppError(EPP_ERRORS.commandLength, 'MAC message too long');
    const bytes = new Uint8Array(offset + piece.length);
    if (held !== undefined && offset > 0) bytes.set(held.bytes.subarray(0, offset));
    bytes.set(piece, offset);
    this.macMessage = { slot, bytes };
    return match[2] === '1' ? hex(this.element.mac(slot, bytes)) : '';
  }

  /** The `3` layout: user data 50, scan codes 48 hex, settings 20 hex, function code 8, model 6, versions 3+3, date 4, serial 4. */
  private userInformation(): string {
    const s = this.store.settings;
    const flags = (this.store.blank ? 0x01 : 0) | (this.keypad.state.mode === 'plain' ? 0x02 : 0) | (s.sound ? 0x04 : 0);
    const settings = [flags, 0, s.inputTimeSeconds, s.pinMask, s.minLength, s.maxLength, 0x37, s.hexMode ? 0x37 : 0x30, 10, 0];
    return [
      s.userData.padEnd(50, ' '),
      hex(s.scanCodes),
      hex(settings),
      this.aes ? '0000000A' : '00000000',
      MODEL,
      HARDWARE,
      SOFTWARE,
      PRODUCTION_DATE,
      SERIAL,
    ].join('');
  }
}
