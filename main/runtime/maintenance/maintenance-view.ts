import type { MaintenanceContext } from '../../../state-machines/maintenance/maintenance.machine.js';
import { MAINTENANCE_MENU, MAX_CASSETTE_COUNT, RESET_CARD_BIN } from '../../../state-machines/maintenance/types.js';
import type { ScreenData, ScreenId } from '../../ipc-contract/view.js';

/** The maintenance machine's snapshot as the projection reads it. */
export interface MaintenanceSnapshot {
  readonly context: MaintenanceContext;
  matches(value: unknown): boolean;
}

const LANGUAGE_OPTIONS = ['language.zh-CN', 'language.en'];

/** The technician's screen for the maintenance machine's state; busy steps show `pleaseWait`. */
export function maintenanceScreen(m: MaintenanceSnapshot | undefined): {
  readonly screen: ScreenId;
  readonly options?: readonly string[];
  readonly data?: ScreenData;
} {
  if (!m) return { screen: 'pleaseWait', data: { step: 'step.working' } };
  const c = m.context;
  const message = c.message === undefined ? {} : { message: c.message };
  const operator = c.operatorId === undefined ? {} : { operatorId: c.operatorId };
  const units = { cashUnits: c.units };
  if (m.matches('login') || m.matches('verifying')) {
    const locked = c.retryAfterMs === undefined ? {} : { deadlineSeconds: Math.ceil(c.retryAfterMs / 1000) };
    return { screen: 'maintLogin', options: LANGUAGE_OPTIONS, data: { ...message, ...locked } };
  }
  if (m.matches('menu')) return { screen: 'maintMenu', options: MAINTENANCE_MENU, data: operator };
  if (m.matches('devices')) return { screen: 'maintDevices', data: operator };
  if (m.matches('cashUnits')) return { screen: 'maintCashUnits', data: { ...operator, ...units } };
  if (m.matches({ replenish: 'entering' })) {
    return { screen: 'maintReplenish', data: { ...operator, ...units, maxCount: MAX_CASSETTE_COUNT, ...message } };
  }
  if (m.matches({ replenish: 'confirming' })) {
    return { screen: 'maintReplenishConfirm', data: { ...operator, ...units, enteredCounts: c.enteredCounts ?? [] } };
  }
  if (m.matches('cardBin')) {
    return {
      screen: 'maintCardBin',
      options: [RESET_CARD_BIN],
      data: { ...operator, ...(c.cardBin === undefined ? {} : { cardBin: c.cardBin }), ...message },
    };
  }
  if (m.matches('notice')) {
    // After a replenishment the new counts are the proof the technician checks.
    const shown = c.message === 'maint.replenish.done' ? units : {};
    return { screen: 'maintNotice', data: { ...operator, ...message, ...shown } };
  }
  return {
    screen: 'pleaseWait',
    data: { step: m.matches('printing') ? 'step.printing' : 'step.working', ...operator },
  };
}
