import { describe, expect, it } from 'vitest';
import {
  decodeStatus,
  EscPosStatusError,
  isStatusByte,
  statusRequest,
} from '../../../../drivers/protocols/escpos/realtime-status.js';

// Golden bytes from the Epson ESC/POS command reference for DLE EOT n
// (fixed bits 1 and 4 set: an idle printer answers 0x12 on every page).
describe('ESC/POS DLE EOT', () => {
  it('requests each page as 10 04 n', () => {
    expect([...statusRequest('printer')]).toEqual([0x10, 0x04, 0x01]);
    expect([...statusRequest('offlineCause')]).toEqual([0x10, 0x04, 0x02]);
    expect([...statusRequest('errorCause')]).toEqual([0x10, 0x04, 0x03]);
    expect([...statusRequest('paperSensor')]).toEqual([0x10, 0x04, 0x04]);
  });

  it('decodes an idle printer (0x12) as all clear', () => {
    expect(decodeStatus('printer', 0x12)).toEqual({ offline: false, waitingForRecovery: false, feedButtonPressed: false });
    expect(decodeStatus('paperSensor', 0x12)).toEqual({ nearEnd: false, paperEnd: false });
  });

  it('decodes offline (bit 3, 0x1A) on page 1', () => {
    expect(decodeStatus('printer', 0x1a).offline).toBe(true);
  });

  it('decodes cover open (bit 2, 0x16) and paper-end stop (bit 5, 0x32) on page 2', () => {
    expect(decodeStatus('offlineCause', 0x16)).toMatchObject({ coverOpen: true, stoppedByPaperEnd: false });
    expect(decodeStatus('offlineCause', 0x32)).toMatchObject({ coverOpen: false, stoppedByPaperEnd: true });
    expect(decodeStatus('offlineCause', 0x52).errorOccurred).toBe(true);
  });

  it('decodes autocutter (0x1A) and unrecoverable (0x32) errors on page 3', () => {
    expect(decodeStatus('errorCause', 0x1a).autocutterError).toBe(true);
    expect(decodeStatus('errorCause', 0x32).unrecoverable).toBe(true);
  });

  it('decodes near-end (0x1E) and paper end (0x7E) on page 4, either sensor bit counting', () => {
    expect(decodeStatus('paperSensor', 0x1e)).toEqual({ nearEnd: true, paperEnd: false });
    expect(decodeStatus('paperSensor', 0x16)).toEqual({ nearEnd: true, paperEnd: false });
    expect(decodeStatus('paperSensor', 0x7e)).toEqual({ nearEnd: true, paperEnd: true });
    expect(decodeStatus('paperSensor', 0x52)).toEqual({ nearEnd: false, paperEnd: true });
  });

  it('rejects bytes without the fixed bits', () => {
    for (const byte of [0x00, 0xff, 0x10, 0x02, 0x93, 0x13]) {
      expect(isStatusByte(byte)).toBe(false);
      expect(() => decodeStatus('printer', byte)).toThrow(EscPosStatusError);
    }
  });
});
