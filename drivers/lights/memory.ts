import { DeviceError } from '../common/completion.js';
import { MemoryDevice, type MemoryDeviceOptions } from '../common/memory-device.js';
import {
  LIGHT_NAMES,
  type LightColor,
  type LightName,
  type LightState,
  type LightsDevice,
  type LightsErrorCode,
  type LightsEvents,
  type LightsStatus,
  type SetLightRequest,
} from './contract.js';

export interface MemoryLightsOptions extends MemoryDeviceOptions {
  /** The fitted lights with their default colour (undefined = single-colour); default all, green. */
  readonly fitted?: Readonly<Partial<Record<LightName, LightColor | undefined>>>;
}

/** In-memory guidance lights. */
export class MemoryLights
  extends MemoryDevice<LightsStatus, LightsEvents, LightsErrorCode, 'setLight'>
  implements LightsDevice
{
  readonly deviceClass = 'lights' as const;
  private readonly defaults: Readonly<Partial<Record<LightName, LightColor | undefined>>>;

  constructor(options: MemoryLightsOptions) {
    const defaults = options.fitted ?? Object.fromEntries(LIGHT_NAMES.map((name) => [name, 'green' as const]));
    const lights: Partial<Record<LightName, LightState>> = {};
    for (const name of Object.keys(defaults) as LightName[]) lights[name] = { flashRate: 'off' };
    super(options, { device: 'online', devicePosition: 'inPosition', lights });
    this.defaults = defaults;
  }

  setLight = (request: SetLightRequest, signal: AbortSignal) =>
    this.command('setLight', signal, () => {
      if (!(request.light in this.defaults)) {
        throw new DeviceError<LightsErrorCode>('commandErrorCode', `no ${request.light} light`, 'invalidLight');
      }
      const defaultColor = this.defaults[request.light];
      // Single-colour lights have no colour to set; off lights show none.
      const color = defaultColor === undefined || request.flashRate === 'off' ? undefined : (request.color ?? defaultColor);
      const state: LightState = color === undefined ? { flashRate: request.flashRate } : { flashRate: request.flashRate, color };
      this.patchStatus({ lights: { ...this.getStatus().lights, [request.light]: state } });
    });
}
