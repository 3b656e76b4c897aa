import { EventEmitter } from 'node:events';
import type { BrowserWindowConstructorOptions } from 'electron';
import { vi } from 'vitest';

/**
 * Stand-ins for the parts of the `electron` module the shell uses, for
 * `vi.mock('electron', () => import('./fake-electron.js'))`: the real module
 * throws when required outside the Electron binary.
 */

/** An Electron event: records preventDefault. */
export function fakeEvent<T extends object>(fields?: T): T & { preventDefault(): void; defaultPrevented: boolean } {
  const event = {
    ...(fields as T),
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: unknown) => { action: string }) | undefined;
  readonly send = vi.fn<(channel: string, ...args: unknown[]) => void>();
  readonly reload = vi.fn<() => void>();
  readonly forcefullyCrashRenderer = vi.fn<() => void>();
  readonly setVisualZoomLevelLimits = vi.fn<(min: number, max: number) => Promise<void>>(async () => undefined);
  private destroyed = false;

  setWindowOpenHandler(handler: (details: unknown) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

export class BrowserWindow extends EventEmitter {
  static readonly created: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loadURL = vi.fn<(url: string) => Promise<void>>(async () => undefined);
  readonly show = vi.fn<() => void>();
  readonly focus = vi.fn<() => void>();

  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    BrowserWindow.created.push(this);
  }
  isDestroyed(): boolean {
    return this.webContents.isDestroyed();
  }
}

type IpcListener = (event: unknown, ...args: unknown[]) => unknown;

class FakeIpcMain {
  readonly listeners = new Map<string, IpcListener>();
  readonly handlers = new Map<string, IpcListener>();
  on(channel: string, listener: IpcListener): void {
    this.listeners.set(channel, listener);
  }
  removeListener(channel: string, listener: IpcListener): void {
    if (this.listeners.get(channel) === listener) this.listeners.delete(channel);
  }
  handle(channel: string, handler: IpcListener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}
export const ipcMain = new FakeIpcMain();

export const protocol = {
  registerSchemesAsPrivileged: vi.fn(),
  handle: vi.fn<(scheme: string, handler: (request: Request) => Promise<Response>) => void>(),
};

/** Stands in for Chromium's file loader; echoes the URL it was asked for. */
export const net = {
  fetch: vi.fn(async (url: string) => new Response(`served ${url}`, { headers: { 'Content-Type': 'text/html' } })),
};

class FakeApp extends EventEmitter {
  isPackaged = true;
  readonly requestSingleInstanceLock = vi.fn(() => true);
  readonly enableSandbox = vi.fn();
  readonly whenReady = vi.fn(async () => undefined);
}
export const app = new FakeApp();

export const crashReporter = { start: vi.fn() };
export const Menu = { setApplicationMenu: vi.fn() };
export const powerSaveBlocker = { start: vi.fn(() => 7), stop: vi.fn() };

export class FakeSession {
  headersListener: ((details: unknown, callback: (response: unknown) => void) => void) | undefined;
  requestHandler: ((...args: unknown[]) => void) | undefined;
  checkHandler: ((...args: unknown[]) => boolean) | undefined;
  readonly webRequest = {
    onHeadersReceived: (listener: (details: unknown, callback: (response: unknown) => void) => void) => {
      this.headersListener = listener;
    },
  };
  setPermissionRequestHandler(handler: (...args: unknown[]) => void): void {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: (...args: unknown[]) => boolean): void {
    this.checkHandler = handler;
  }
}
export const session = { defaultSession: new FakeSession() };

/** The renderer half, for the preload. */
class FakeIpcRenderer extends EventEmitter {
  readonly invoke = vi.fn(async (_channel: string, ..._args: unknown[]): Promise<unknown> => ({ accepted: true }));
  readonly send = vi.fn<(channel: string, ...args: unknown[]) => void>();
}
export const ipcRenderer = new FakeIpcRenderer();
export const contextBridge = { exposeInMainWorld: vi.fn<(key: string, api: unknown) => void>() };
