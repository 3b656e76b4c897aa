import { z } from 'zod';

/**
 * Intents are the only thing the renderer can say. Each is a customer's (on
 * the maintenance screens, a technician's) wish, never an order: the machines
 * in the runtime decide what, if anything, happens. No intent names a device,
 * an amount to dispense or a card movement, so a compromised renderer cannot
 * move cash or cards.
 */

export const LANGUAGES = ['zh-CN', 'en'] as const;
export const LanguageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof LanguageSchema>;

/** A technician's id as configured in `maintenance.operators`. */
export const OperatorIdSchema = z.string().regex(/^[A-Za-z0-9]{1,16}$/);

/** Most notes a technician may declare for one cassette (state-machines/maintenance/types.ts says the same). */
export const MAX_CASSETTE_COUNT = 3000;

/** Most counted units in one replenishment: a dispenser's cassettes and reject bin and a recycler's units and cashbox together. */
export const MAX_COUNTED_UNITS = 16;

/** A menu or choice identifier offered by the current screen. */
const OptionId = z.string().regex(/^[a-zA-Z][a-zA-Z0-9.-]{0,39}$/);

export const IntentSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ui.languageSelected'), language: LanguageSchema }).strict(),
  /** A choice among the options the current view lists (menu item, fast-cash button, yes/no). */
  z.object({ type: z.literal('ui.optionSelected'), option: OptionId }).strict(),
  /** An amount typed on the on-screen keypad, in minor units (fen), for the screen that asked. */
  z
    .object({
      type: z.literal('ui.amountEntered'),
      amountMinor: z.number().int().positive().max(100_000_000),
    })
    .strict(),
  /** Free text for the screen that asked (payee account, complaint), printable and bounded. */
  z
    .object({
      type: z.literal('ui.textEntered'),
      field: OptionId,
      text: z.string().max(200).regex(/^[^\p{Cc}]*$/u),
    })
    .strict(),
  z.object({ type: z.literal('ui.confirmed') }).strict(),
  z.object({ type: z.literal('ui.cancelPressed') }).strict(),
  z.object({ type: z.literal('ui.moreTimeRequested') }).strict(),
  z
    .object({
      type: z.literal('ui.accessibilityChanged'),
      elderly: z.boolean(),
      highContrast: z.boolean(),
    })
    .strict(),
  /**
   * The technician's login on the maintenance screens. The runtime checks the
   * password against a salted hash and never logs or journals it.
   */
  z
    .object({
      type: z.literal('maint.login'),
      operatorId: OperatorIdSchema,
      password: z.string().min(1).max(64).regex(/^[^\p{Cc}]*$/u),
    })
    .strict(),
  /**
   * Notes the technician counted into each cassette at a replenishment, in the
   * order the screen lists them. Only counts: the runtime decides what they mean.
   */
  z
    .object({
      type: z.literal('maint.countsEntered'),
      counts: z.array(z.number().int().min(0).max(MAX_CASSETTE_COUNT)).min(1).max(MAX_COUNTED_UNITS),
    })
    .strict(),
]);
export type Intent = z.infer<typeof IntentSchema>;
export type IntentType = Intent['type'];

/** The renderer→runtime wire message (WebSocket frame or IPC argument). */
export const ClientMessageSchema = z
  .object({
    kind: z.literal('intent'),
    /** Correlates the ack; chosen by the renderer, unique among its open requests. */
    id: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    intent: IntentSchema,
  })
  .strict();
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

/** Largest client frame the runtime will parse, in bytes. */
export const MAX_CLIENT_MESSAGE_BYTES = 4096;
