import { pino, type Logger } from 'pino';

/**
 * Structured JSON logs. Card data must never reach a log; the redaction list
 * is a second line of defence behind masking at the source.
 */
export function createLogger(kioskId: string, level = process.env.KIOSK_LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { kioskId },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['pan', '*.pan', 'track2', '*.track2', 'pinBlock', '*.pinBlock', 'cvv', '*.cvv'],
      censor: '[redacted]',
    },
  });
}
export type { Logger };
