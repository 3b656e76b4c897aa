import type { BarcodeScannerDevice } from '../../../drivers/barcode-scanner/contract.js';
import { APPOINTMENT_CODE } from '../../host-link/appointments.js';

/**
 * Lets the scanner read appointment codes (QR, Data Matrix, PDF417) while the kiosk
 * waits for a customer, and hands the first one that looks like a code to `onCode`.
 * Scanning is switched off again when `signal` aborts. A scanner that is offline or
 * refuses to enable leaves the kiosk card-only; it never stops the wait for a card.
 * The code is a bearer credential: it goes to the session, never to a log.
 */
export function watchForAppointmentCodes(
  scanner: BarcodeScannerDevice,
  signal: AbortSignal,
  onCode: (code: string) => void,
): void {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const off = scanner.on('scanned', ({ data }) => {
    if (signal.aborted) return;
    let code: string;
    try {
      code = decoder.decode(data).trim();
    } catch {
      return;
    }
    if (APPOINTMENT_CODE.test(code)) onCode(code);
  });
  void scanner.enable({ symbologies: ['qr', 'dataMatrix', 'pdf417'] }, signal);
  signal.addEventListener(
    'abort',
    () => {
      off();
      // Its own signal: the wait's signal is already aborted.
      void scanner.disable(undefined, new AbortController().signal);
    },
    { once: true },
  );
}
