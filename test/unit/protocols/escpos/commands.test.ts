import { describe, expect, it } from 'vitest';
import {
  ENTER_CHINESE_MODE,
  FULL_CUT,
  INITIALIZE,
  LEAVE_CHINESE_MODE,
  PARTIAL_CUT,
  RETRACT_TICKET,
  feedLines,
  presentTicket,
  selectAlignment,
  selectCharacterSize,
  selectEmphasis,
} from '../../../../drivers/protocols/escpos/commands.js';
import { qrCodeCommands } from '../../../../drivers/protocols/escpos/qr-code.js';
import * as golden from '../../../fixtures/escpos/golden.js';

const bytes = (u: Uint8Array | Uint8Array[]): number[] => (Array.isArray(u) ? u.flatMap((c) => [...c]) : [...u]);

describe('ESC/POS commands against the reference bytes', () => {
  it('init, alignment, emphasis, size, feed, cuts', () => {
    expect(bytes(INITIALIZE)).toEqual(golden.INIT);
    expect(bytes(selectAlignment('center'))).toEqual(golden.ALIGN_CENTER);
    expect(bytes(selectAlignment('right'))).toEqual(golden.ALIGN_RIGHT);
    expect(bytes(selectEmphasis(true))).toEqual(golden.BOLD_ON);
    expect(bytes(selectEmphasis(false))).toEqual(golden.BOLD_OFF);
    expect(bytes(selectCharacterSize(2, 2))).toEqual(golden.DOUBLE_SIZE);
    expect(bytes(selectCharacterSize(1, 1))).toEqual(golden.NORMAL_SIZE);
    expect(bytes(selectCharacterSize(2, 1))).toEqual(golden.DOUBLE_WIDTH_ONLY);
    expect(bytes(selectCharacterSize(1, 2))).toEqual(golden.DOUBLE_HEIGHT_ONLY);
    expect(bytes(feedLines(3))).toEqual(golden.FEED_3);
    expect(bytes(FULL_CUT)).toEqual(golden.FULL_CUT);
    expect(bytes(PARTIAL_CUT)).toEqual(golden.PARTIAL_CUT);
  });

  it('Chinese mode on and off', () => {
    expect(bytes(ENTER_CHINESE_MODE)).toEqual(golden.ENTER_CHINESE);
    expect(bytes(LEAVE_CHINESE_MODE)).toEqual(golden.LEAVE_CHINESE);
  });

  it('QR code: model, size, error correction, store, print', () => {
    expect(bytes(qrCodeCommands(Uint8Array.of(0x41, 0x42), { moduleSize: 6, errorCorrection: 'M' }))).toEqual(
      golden.QR_AB_MODEL2_SIZE6_M,
    );
  });

  it('QR store length counts past 255 in pH', () => {
    const store = qrCodeCommands(new Uint8Array(300).fill(0x31), { moduleSize: 3, errorCorrection: 'L' })[3];
    // k + 3 = 303 = 0x012F → pL 0x2F, pH 0x01.
    expect(bytes(store ?? new Uint8Array()).slice(0, 8)).toEqual([0x1d, 0x28, 0x6b, 0x2f, 0x01, 0x31, 0x50, 0x30]);
  });

  it('presenter commands', () => {
    expect(bytes(presentTicket(12))).toEqual(golden.PRESENTER.present12Steps);
    expect(bytes(RETRACT_TICKET)).toEqual(golden.PRESENTER.retract);
  });

  it('refuses out-of-range parameters', () => {
    expect(() => selectCharacterSize(0, 1)).toThrow(RangeError);
    expect(() => selectCharacterSize(1, 9)).toThrow(RangeError);
    expect(() => feedLines(256)).toThrow(RangeError);
    expect(() => qrCodeCommands(new Uint8Array(0), { moduleSize: 6, errorCorrection: 'M' })).toThrow(RangeError);
    expect(() => qrCodeCommands(Uint8Array.of(1), { moduleSize: 17, errorCorrection: 'M' })).toThrow(RangeError);
  });
});
