import type { RendererBridge } from '../runtime/bridge.js';

/** What the composition root hands the Electron host. */
export interface KioskRuntime {
  readonly bridge: RendererBridge;
  stop(): Promise<void>;
}

/** The shape of `main/runtime/boot.ts`. */
interface RuntimeModule {
  bootKioskRuntime(): Promise<KioskRuntime>;
}

/**
 * Starts the runtime from the composition root. The specifier is computed so
 * that type-checking the shell does not pull in the whole runtime.
 */
export async function loadKioskRuntime(): Promise<KioskRuntime> {
  const specifier = new URL('../runtime/boot.js', import.meta.url).href;
  const mod = (await import(specifier)) as Partial<RuntimeModule>;
  if (typeof mod.bootKioskRuntime !== 'function') {
    throw new Error(`${specifier} does not export bootKioskRuntime()`);
  }
  return mod.bootKioskRuntime();
}
