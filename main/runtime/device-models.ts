import { z } from 'zod';
import type { Clock } from '../../drivers/common/clock.js';
import type { CardReaderDevice } from '../../drivers/card-reader/contract.js';
import { CreatorCardReader } from '../../drivers/card-reader/creator/creator-card-reader.js';
import type { DeviceClass } from '../../drivers/common/device.js';
import type { ByteTransport } from '../../drivers/common/transport.js';
import type { PinPadDevice } from '../../drivers/pin-pad/contract.js';
import { Zt588PinPad } from '../../drivers/pin-pad/zt588/zt588-pin-pad.js';
import { EscPosPrinter } from '../../drivers/printer/escpos/escpos-printer.js';
import type { PrinterDevice } from '../../drivers/printer/contract.js';

/** The contract type each device class's drivers implement. */
export interface DeviceByClass {
  printer: PrinterDevice;
  cardReader: CardReaderDevice;
  pinPad: PinPadDevice;
}
export type AnyDevice = DeviceByClass[keyof DeviceByClass];

/**
 * A device model: which class it serves and how to build its driver from a
 * transport and its validated options. Adding a model = one entry here.
 */
export interface DeviceModel {
  readonly deviceClass: DeviceClass;
  readonly description: string;
  /** Validates the model's `options` from the configuration. */
  readonly optionsSchema: z.ZodType<Record<string, unknown>>;
  create(id: string, clock: Clock, transport: ByteTransport, options: Record<string, unknown>): AnyDevice;
}

const EscPosOptions = z
  .object({
    pollIntervalMs: z.number().int().min(50).max(60_000).optional(),
    answerTimeoutMs: z.number().int().min(10).max(10_000).optional(),
    missedPollsOffline: z.number().int().min(1).max(100).optional(),
    columns: z.number().int().min(20).max(80).optional(),
  })
  .strict();

const CustomVkp80Options = EscPosOptions.extend({
  presentTimeoutMs: z.number().int().min(1000).max(600_000).optional(),
  presenterMoveMs: z.number().int().min(100).max(60_000).optional(),
  presentSteps: z.number().int().min(0).max(255).optional(),
  retractBinCapacity: z.number().int().min(1).max(10_000).optional(),
}).strict();

const CreatorCardReaderOptions = z
  .object({
    address: z.number().int().min(0).max(255).optional(),
    pollIntervalMs: z.number().int().min(50).max(60_000).optional(),
    ackTimeoutMs: z.number().int().min(10).max(10_000).optional(),
    replyTimeoutMs: z.number().int().min(10).max(10_000).optional(),
    motionTimeoutMs: z.number().int().min(100).max(60_000).optional(),
    retryDelayMs: z.number().int().min(0).max(10_000).optional(),
    maxRetries: z.number().int().min(0).max(10).optional(),
    missedPollsOffline: z.number().int().min(1).max(100).optional(),
    retainThreshold: z.number().int().min(1).max(10_000).optional(),
    retainCapacity: z.number().int().min(1).max(10_000).optional(),
    retainCount: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();

const Zt588Options = z
  .object({
    pollIntervalMs: z.number().int().min(50).max(60_000).optional(),
    answerTimeoutMs: z.number().int().min(10).max(10_000).optional(),
    retries: z.number().int().min(0).max(10).optional(),
    missedPollsOffline: z.number().int().min(1).max(100).optional(),
    entryTimeoutMs: z.number().int().min(0).max(600_000).optional(),
    keySlots: z.record(z.string().min(1), z.number().int().min(0).max(255)).optional(),
    allowClearKeys: z.boolean().optional(),
  })
  .strict();

export const DEVICE_MODELS: Readonly<Record<string, DeviceModel>> = {
  escpos: {
    deviceClass: 'printer',
    description: 'ESC/POS thermal receipt printer',
    optionsSchema: EscPosOptions,
    create: (id, clock, transport, options) => new EscPosPrinter({ id, clock }, transport, options),
  },
  customVkp80: {
    deviceClass: 'printer',
    description: 'Custom VKP80 kiosk printer with presenter and retract bin (ESC/POS)',
    optionsSchema: CustomVkp80Options,
    create: (id, clock, transport, options) =>
      new EscPosPrinter({ id, clock }, transport, { ...options, model: 'vkp80' }),
  },
  creatorCardReader: {
    deviceClass: 'cardReader',
    description: 'Creator CRT-310-class motorised card reader (C/P/N protocol)',
    optionsSchema: CreatorCardReaderOptions,
    create: (id, clock, transport, options) => new CreatorCardReader({ id, clock }, transport, options),
  },
  zt588: {
    deviceClass: 'pinPad',
    description: 'Zhengtong ZT588 encrypting PIN pad',
    optionsSchema: Zt588Options,
    create: (id, clock, transport, options) => new Zt588PinPad({ id, clock }, transport, options),
  },
};
