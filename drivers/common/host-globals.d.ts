// The timers and text codecs every JavaScript host (browser, Node, Electron) provides.
// Declared here so that environment-neutral code can reach them only through
// `systemClock` without pulling in DOM or Node type libraries. Only the common
// project (tsconfig.common.json) includes this file; the Node and browser projects
// get the same globals from their own type libraries.
declare function setTimeout(handler: () => void, ms?: number): unknown;
declare function clearTimeout(handle: unknown): void;
declare function queueMicrotask(callback: () => void): void;
declare const performance: { now(): number; timeOrigin: number };
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}
interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
declare class AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}
