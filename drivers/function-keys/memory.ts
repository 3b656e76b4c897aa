import { DeviceError } from '../common/completion.js';
import { MemoryDevice, type MemoryDeviceOptions } from '../common/memory-device.js';
import {
  FUNCTION_KEYS,
  type FunctionKey,
  type FunctionKeysCapabilities,
  type FunctionKeysDevice,
  type FunctionKeysErrorCode,
  type FunctionKeysEvents,
  type FunctionKeysStatus,
} from './contract.js';

export interface MemoryFunctionKeysOptions extends MemoryDeviceOptions {
  readonly capabilities?: FunctionKeysCapabilities;
}

/** In-memory FDKs and accessibility keypad; tests press and release keys. */
export class MemoryFunctionKeys
  extends MemoryDevice<FunctionKeysStatus, FunctionKeysEvents, FunctionKeysErrorCode, 'setEnabledKeys'>
  implements FunctionKeysDevice
{
  readonly deviceClass = 'functionKeys' as const;
  private readonly capabilities: FunctionKeysCapabilities;
  /** Keys whose press was reported, so that their release is reported too. */
  private readonly down = new Set<FunctionKey>();

  constructor(options: MemoryFunctionKeysOptions) {
    super(options, { device: 'online', devicePosition: 'inPosition', enabledKeys: [] });
    this.capabilities = options.capabilities ?? { keys: FUNCTION_KEYS };
  }

  getCapabilities(): FunctionKeysCapabilities {
    return this.capabilities;
  }

  setEnabledKeys = (request: { readonly keys: readonly FunctionKey[] }, signal: AbortSignal) =>
    this.command('setEnabledKeys', signal, () => {
      const missing = request.keys.find((k) => !this.capabilities.keys.includes(k));
      if (missing !== undefined) {
        throw new DeviceError<FunctionKeysErrorCode>('commandErrorCode', `no key ${missing}`, 'keyNotSupported');
      }
      this.patchStatus({ enabledKeys: [...new Set(request.keys)] });
    });

  /** The customer presses a key. Returns whether the press was reported. */
  pressKey(key: FunctionKey): boolean {
    const { device, enabledKeys } = this.getStatus();
    if (device !== 'online' || !enabledKeys.includes(key) || this.down.has(key)) return false;
    this.down.add(key);
    this.hub.emit('keyPressed', { key });
    return true;
  }

  /** The customer lets go of a key. Returns whether the release was reported. */
  releaseKey(key: FunctionKey): boolean {
    if (!this.down.delete(key)) return false;
    this.hub.emit('keyReleased', { key });
    return true;
  }
}
