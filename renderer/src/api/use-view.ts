import { useSyncExternalStore } from 'react';
import type { KioskApi } from '../../../main/ipc-contract/kiosk-api.js';
import type { SessionView } from '../../../main/ipc-contract/view.js';

/**
 * Subscribes to the runtime's views. useSyncExternalStore renders a new view
 * synchronously, so a screen change is painted in the frame the view arrives.
 */
export function createViewStore(api: KioskApi): {
  subscribe: (onChange: () => void) => () => void;
  get: () => SessionView | undefined;
} {
  let latest: SessionView | undefined;
  const listeners = new Set<() => void>();
  api.subscribe((view) => {
    latest = view;
    performance.mark(`kiosk:view:${view.seq}`);
    for (const listener of listeners) listener();
  });
  return {
    subscribe: (onChange) => {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    get: () => latest,
  };
}

export function useView(store: ReturnType<typeof createViewStore>): SessionView | undefined {
  return useSyncExternalStore(store.subscribe, store.get);
}
