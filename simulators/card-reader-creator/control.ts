import { z } from 'zod';
import { SimulatorControlError } from '../common/simulator.js';

/** Track text as the stripe holds it (no sentinels); the reader returns it in ASCII. */
const trackText = z.string().regex(/^[\x20-\x7d]*$/, 'printable ASCII without ~').max(120);

/** Link faults take a count of frames or replies they affect. */
const linkFault = z
  .object({
    kind: z.enum(['nakStorm', 'noAnswer', 'garbage', 'corruptReply']),
    count: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

/** Card faults affect the next card inserted (or the next eject). */
const cardFault = z.object({ kind: z.enum(['tooShort', 'tooLong', 'badCard', 'pullDuringEject']) }).strict();

/** Any documented `e1 e0` error as the reply to the next command (optionally only to `C<CM><PM>`). */
const replyFault = z
  .object({
    kind: z.literal('error'),
    code: z.string().regex(/^[0-9A-F]{2}$/),
    command: z.string().regex(/^C..$/).optional(),
  })
  .strict();

export const ControlSchemas = {
  insertCard: z
    .object({ track1: trackText.optional(), track2: trackText.optional(), track3: trackText.optional(), chip: z.boolean().optional() })
    .strict(),
  takeCard: z.object({}).strict(),
  /** `on: false` is the engineer clearing the jam: the stuck card is taken out. */
  jam: z.object({ on: z.boolean().default(true) }).strict(),
  fault: z.discriminatedUnion('kind', [linkFault, cardFault, replyFault]),
  power: z.object({ on: z.boolean() }).strict(),
  /** The reader finishes a capture the host ordered just before the power went (the host never sees the reply). */
  capture: z.object({}).strict(),
  /** Empties or presets the retain bin. */
  retainBin: z.object({ count: z.number().int().min(0).optional(), capacity: z.number().int().min(1).optional() }).strict(),
} as const;

export type InsertCardBody = z.infer<typeof ControlSchemas.insertCard>;
export type FaultBody = z.infer<typeof ControlSchemas.fault>;

export function parseControl<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw new SimulatorControlError(result.error.message);
  return result.data;
}
