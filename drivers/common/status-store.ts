import type { EventHub } from './events.js';
import type { CommonDeviceEvents } from './device.js';
import type { CommonStatus } from './status.js';

/**
 * Holds a device's status and emits `statusChanged` with only the properties
 * whose value changed (compared structurally), as XFS4IoT's StatusChangedEvent.
 */
export class StatusStore<S extends CommonStatus, Events extends CommonDeviceEvents<S>> {
  private current: S;

  constructor(
    initial: S,
    private readonly hub: EventHub<Events>,
  ) {
    this.current = initial;
  }

  get(): S {
    return this.current;
  }

  update(patch: Partial<S>): void {
    const changed: Partial<S> = {};
    let any = false;
    for (const key of Object.keys(patch) as (keyof S)[]) {
      const value = patch[key];
      if (!sameValue(this.current[key], value)) {
        changed[key] = value;
        any = true;
      }
    }
    if (!any) return;
    this.current = { ...this.current, ...changed };
    this.hub.emit('statusChanged', changed as Events['statusChanged']);
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
