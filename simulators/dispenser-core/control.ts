import { z } from 'zod';
import { SimulatorControlError } from '../common/simulator.js';

/** Cassettes are numbered 1..4 in the developer API, as on the unit's label. */
const unit = z.number().int().min(1).max(4);

/** Faults of the note path; they hit the next dispense once. */
const noteFault = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pickupError') }).strict(),
  z.object({ kind: z.literal('jam'), sensor: z.enum(['CHK', 'DVT', 'EJT']) }).strict(),
  z.object({ kind: z.enum(['doubleNote', 'noteTooLong', 'noteTooShort']) }).strict(),
  z.object({ kind: z.literal('cassetteMissing'), unit }).strict(),
  z.object({ kind: z.literal('rejectBinFull') }).strict(),
  /** The next `count` command frames get no answer at all. */
  z.object({ kind: z.literal('noAnswer'), count: z.number().int().min(1).max(1000).optional() }).strict(),
  /** Line noise before the next reply. */
  z.object({ kind: z.literal('garbage') }).strict(),
]);

export const DispenserControlSchemas = {
  takeNotes: z.object({}).strict(),
  /** The customer walks away; the notes stay at the exit until a retract. */
  leaveNotes: z.object({}).strict(),
  fault: noteFault,
  /** The engineer puts a cassette back, or clears the reject bin. */
  clear: z.object({ kind: z.enum(['cassetteMissing', 'rejectBinFull']), unit: unit.optional() }).strict(),
  loadCassette: z
    .object({ unit, denomination: z.number().int().min(1), currency: z.string().regex(/^[A-Z]{3}$/).default('CNY'), count: z.number().int().min(0).max(3000) })
    .strict(),
  power: z.object({ on: z.boolean() }).strict(),
} as const;

export type DispenserFaultBody = z.infer<typeof DispenserControlSchemas.fault>;

export function parseControl<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw new SimulatorControlError(result.error.message);
  return result.data;
}
