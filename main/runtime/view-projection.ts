import type { SnapshotFrom } from 'xstate';
import type { kioskMachine } from '../../state-machines/kiosk/kiosk.machine.js';
import type { DeviceSummary, ScreenId, SessionView } from '../ipc-contract/view.js';

type KioskSnapshot = SnapshotFrom<typeof kioskMachine>;

const SCREEN_BY_STATE: Record<string, ScreenId> = {
  starting: 'starting',
  deciding: 'starting',
  inService: 'welcome',
  outOfService: 'outOfService',
};

/** The renderer's picture of the kiosk, without `seq` (assigned when it changes). */
export function projectView(
  snapshot: KioskSnapshot,
  devices: readonly DeviceSummary[],
  kioskId: string,
): Omit<SessionView, 'seq'> {
  const state = typeof snapshot.value === 'string' ? snapshot.value : Object.keys(snapshot.value)[0] ?? 'starting';
  const screen = SCREEN_BY_STATE[state] ?? 'outOfService';
  const c = snapshot.context;
  return {
    screen,
    language: c.language,
    availability: c.availability,
    devices: devices.map(({ id, deviceClass, state: deviceState, model }) => ({
      id,
      deviceClass,
      state: deviceState,
      model,
    })),
    accessibility: { elderly: c.elderly, highContrast: c.highContrast, voice: c.headphones },
    options: screen === 'welcome' ? ['language.zh-CN', 'language.en'] : [],
    kioskId,
  };
}
