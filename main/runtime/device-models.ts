import { z } from 'zod';
import type { Clock } from '../../drivers/common/clock.js';
import type { DeviceClass } from '../../drivers/common/device.js';
import type { ByteTransport } from '../../drivers/common/transport.js';
import { EscPosPrinter } from '../../drivers/printer/escpos/escpos-printer.js';
import type { PrinterDevice } from '../../drivers/printer/contract.js';

/** The contract type each device class's drivers implement. */
export interface DeviceByClass {
  printer: PrinterDevice;
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

export const DEVICE_MODELS: Readonly<Record<string, DeviceModel>> = {
  escpos: {
    deviceClass: 'printer',
    description: 'ESC/POS thermal receipt printer',
    optionsSchema: EscPosOptions,
    create: (id, clock, transport, options) => new EscPosPrinter({ id, clock }, transport, options),
  },
};
