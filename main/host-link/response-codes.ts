import type { HostAction } from '../../state-machines/session/types.js';

/**
 * DE39 (1987) → what the kiosk does, after host-crypto.md §1.4. Codes not listed decline: an
 * unknown answer must never dispense. 91/96 are outOfService because the host is unsure; A0 is a
 * MAC failure (the link re-signs on before this table is consulted).
 */
const ACTIONS: Readonly<Record<string, HostAction>> = {
  '00': 'approve',
  '01': 'decline',
  '02': 'decline',
  '03': 'outOfService',
  '04': 'captureCard',
  '05': 'decline',
  '07': 'captureCard',
  '12': 'decline',
  '13': 'lowerAmount',
  '14': 'decline',
  '30': 'decline',
  '33': 'captureCard',
  '41': 'captureCard',
  '43': 'captureCard',
  '51': 'insufficientFunds',
  '54': 'decline',
  '55': 'wrongPin',
  '57': 'decline',
  '58': 'decline',
  '61': 'limitExceeded',
  '62': 'decline',
  '65': 'decline',
  '75': 'pinTriesExceeded',
  '91': 'outOfService',
  '94': 'decline',
  '96': 'outOfService',
  A0: 'outOfService',
};

export function actionForResponseCode(code: string): HostAction {
  return Object.hasOwn(ACTIONS, code) ? ACTIONS[code]! : 'decline';
}

/** Codes worth an alarm in the journal beyond the customer's outcome: our message was refused as malformed or duplicate. */
export function isProtocolAlarm(code: string): boolean {
  return code === '30' || code === '94';
}
