import type { Clock, TimerHandle } from '../../drivers/common/clock.js';

/** The 24 positions of the 4×6 key matrix (row by row) and the names the developer API uses for them. */
export const KEY_POSITIONS = {
  '1': 0, '2': 1, '3': 2, cancel: 3,
  '4': 4, '5': 5, '6': 6, clear: 7,
  '7': 8, '8': 9, '9': 10, backspace: 11,
  decPoint: 12, '0': 13, doubleZero: 14, enter: 15,
  f1: 16, f3: 17, f5: 18, f7: 19,
  f2: 20, f4: 21, f6: 22, f8: 23,
} as const;
export type KeyName = keyof typeof KEY_POSITIONS;
export const KEY_NAMES = Object.keys(KEY_POSITIONS) as KeyName[];

/** Sent when the input time limit ends a PIN entry (the PIN is discarded). */
const ENTRY_TIMED_OUT = 0x80;

export interface PinEntrySettings {
  readonly minLength: number;
  readonly maxLength: number;
  readonly inputTimeSeconds: number;
  readonly pinMask: number;
  readonly scanCodes: readonly number[];
}

export type KeypadMode = 'idle' | 'pin' | 'plain';

/**
 * The keyboard controller. In PIN mode digits go into a buffer that exists only
 * here and are reported as the mask byte; Enter (once the minimum is in), an
 * automatic length, Cancel and the time limit end the entry. In plain mode
 * every key is reported by its scan code. Idle, keys are not reported.
 */
export class Keypad {
  private mode: KeypadMode = 'idle';
  private digits: number[] = [];
  /** A finished PIN waiting for `7`. */
  private pin: number[] | undefined;
  private autoLength = 0;
  private settings: PinEntrySettings | undefined;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly report: (byte: number) => void,
  ) {}

  get state(): { mode: KeypadMode; digitsEntered: number; pinReady: boolean } {
    return { mode: this.mode, digitsEntered: this.digits.length, pinReady: this.pin !== undefined };
  }

  startPin(settings: PinEntrySettings, autoLength: number): void {
    this.wipe();
    this.settings = settings;
    this.autoLength = autoLength;
    this.mode = 'pin';
    this.armTimer();
  }

  enablePlain(settings: PinEntrySettings): void {
    this.endEntry();
    this.settings = settings;
    this.mode = 'plain';
  }

  /** Key input off: an unfinished PIN is discarded, a finished one stays for `7`. */
  disable(): void {
    this.endEntry();
    this.mode = 'idle';
  }

  /**
   * Runs `use` on the finished PIN (undefined when there is none); the PIN is
   * wiped once `use` returns, and kept when it throws (e.g. a missing key).
   */
  usePin<T>(use: (pin: string | undefined) => T): T {
    const result = use(this.pin?.join(''));
    this.pin?.fill(0);
    this.pin = undefined;
    return result;
  }

  /** Forgets everything: entry, digits, finished PIN (cancel, power loss, reset, wipe). */
  wipe(): void {
    this.endEntry();
    this.pin?.fill(0);
    this.pin = undefined;
    this.mode = 'idle';
  }

  /** A key goes down; returns whether the keypad reported it. */
  press(name: KeyName): boolean {
    const settings = this.settings;
    if (this.mode === 'idle' || !settings) return false;
    const code = settings.scanCodes[KEY_POSITIONS[name]] as number;
    if (this.mode === 'plain') {
      this.report(code);
      return true;
    }
    return this.pressInPinMode(name, code, settings);
  }

  private pressInPinMode(name: KeyName, code: number, settings: PinEntrySettings): boolean {
    if (/^\d$/.test(name)) {
      if (this.digits.length >= settings.maxLength) return false;
      this.digits.push(Number(name));
      this.armTimer();
      this.report(settings.pinMask);
      if (this.autoLength > 0 && this.digits.length >= this.autoLength) this.finish();
      return true;
    }
    switch (name) {
      case 'enter':
        if (this.digits.length < settings.minLength) return false;
        this.report(code);
        this.finish();
        return true;
      case 'cancel':
        this.wipe();
        this.report(code);
        return true;
      case 'clear':
        this.digits.fill(0);
        this.digits = [];
        break;
      case 'backspace':
        this.digits.pop();
        break;
      default:
        break;
    }
    this.armTimer();
    this.report(code);
    return true;
  }

  private finish(): void {
    this.pin = this.digits;
    this.digits = [];
    this.stopTimer();
    this.mode = 'idle';
  }

  private endEntry(): void {
    this.stopTimer();
    this.digits.fill(0);
    this.digits = [];
  }

  private armTimer(): void {
    this.stopTimer();
    const seconds = this.settings?.inputTimeSeconds ?? 0;
    if (seconds === 0) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.wipe();
      this.report(ENTRY_TIMED_OUT);
    }, seconds * 1000);
  }

  private stopTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
