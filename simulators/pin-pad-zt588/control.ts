import { z } from 'zod';
import { SimulatorControlError } from '../common/simulator.js';
import { KEY_NAMES, type KeyName } from './keypad.js';

const KeySchema = z.enum(KEY_NAMES as [KeyName, ...KeyName[]]);

/** Bodies of the developer API actions (`/sim/pinPad/<action>`). */
export const ControlSchemas = {
  /** The customer presses one key. */
  pressKey: z.object({ key: KeySchema }).strict(),
  /** The customer types digits, then Enter unless `enter` is false. */
  typePin: z.object({ digits: z.string().regex(/^\d{1,16}$/), enter: z.boolean().optional() }).strict(),
  /**
   * Faults: answer the next commands with an error status (0xE0–0xEF), corrupt
   * the checksum of the next replies, or send raw noise bytes unasked.
   */
  fault: z
    .object({
      errorStatus: z.number().int().min(0xe0).max(0xef).optional(),
      corruptReplies: z.number().int().min(0).max(10).optional(),
      noise: z.array(z.number().int().min(0).max(255)).max(256).optional(),
      clear: z.boolean().optional(),
    })
    .strict(),
  /** Power off: no answers, no key reports, the PIN and entry are lost; keys stay. */
  power: z.object({ on: z.boolean() }).strict(),
} as const;

export function parseControl<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw new SimulatorControlError(result.error.message);
  return result.data;
}
