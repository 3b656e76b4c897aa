import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../drivers/common/clock.js';
import { DEFAULT_SETTINGS } from '../../../../simulators/pin-pad-zt588/key-store.js';
import { Keypad } from '../../../../simulators/pin-pad-zt588/keypad.js';

function keypad() {
  const clock = new ManualClock();
  const reports: number[] = [];
  const pad = new Keypad(clock, (b) => reports.push(b));
  const settings = { ...DEFAULT_SETTINGS, pinMask: 0x2a, inputTimeSeconds: 2, minLength: 4, maxLength: 6 };
  return { clock, reports, pad, settings };
}

describe('simulated ZT588 keypad', () => {
  it('masks PIN digits, honours min and max length, and hands the PIN over once', () => {
    const { pad, reports, settings } = keypad();
    pad.startPin(settings, 0);
    for (const d of ['1', '2', '3'] as const) pad.press(d);
    expect(pad.press('enter')).toBe(false);
    for (const d of ['4', '5', '6', '7'] as const) pad.press(d);
    expect(pad.press('enter')).toBe(true);
    expect(reports).toEqual([0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x0d]);
    expect(pad.usePin((pin) => pin)).toBe('123456');
    expect(pad.usePin((pin) => pin)).toBeUndefined();
  });

  it('ends the entry at the input time limit with 0x80 and discards the digits', () => {
    const { pad, reports, settings, clock } = keypad();
    pad.startPin(settings, 0);
    pad.press('1');
    clock.advance(1999);
    pad.press('2');
    clock.advance(1999);
    expect(reports).toEqual([0x2a, 0x2a]);
    clock.advance(1);
    expect(reports).toEqual([0x2a, 0x2a, 0x80]);
    expect(pad.state).toEqual({ mode: 'idle', digitsEntered: 0, pinReady: false });
    expect(pad.press('3')).toBe(false);
  });

  it('keeps the PIN when building the block fails, and reports plain keys by scan code', () => {
    const { pad, reports, settings } = keypad();
    pad.startPin(settings, 4);
    for (const d of ['1', '2', '3', '4'] as const) pad.press(d);
    expect(() => pad.usePin(() => {
      throw new Error('no key');
    })).toThrow();
    expect(pad.state.pinReady).toBe(true);
    pad.enablePlain(settings);
    pad.press('7');
    pad.press('doubleZero');
    pad.press('f2');
    expect(reports.slice(-3)).toEqual([0x37, 0x23, 0x42]);
  });
});
