import { z } from 'zod';
import type { AuxiliariesDevice } from '../../drivers/auxiliaries/contract.js';
import type { BarcodeScannerDevice } from '../../drivers/barcode-scanner/contract.js';
import { HidPosScanner } from '../../drivers/barcode-scanner/hid-pos/hid-pos-scanner.js';
import type { Clock } from '../../drivers/common/clock.js';
import type { CardReaderDevice } from '../../drivers/card-reader/contract.js';
import { CreatorCardReader } from '../../drivers/card-reader/creator/creator-card-reader.js';
import type { CashAcceptorDevice, RecyclerDevice } from '../../drivers/cash-acceptor/contract.js';
import type { CashDispenserDevice } from '../../drivers/cash-dispenser/contract.js';
import { F56Dispenser } from '../../drivers/cash-dispenser/f56/f56-dispenser.js';
import { Lcdm4000Dispenser } from '../../drivers/cash-dispenser/lcdm4000/lcdm4000-dispenser.js';
import { CcnetAcceptor } from '../../drivers/cash-acceptor/ccnet/ccnet-acceptor.js';
import { EsspRecycler } from '../../drivers/cash-acceptor/essp-recycler/essp-recycler.js';
import type { DeviceClass } from '../../drivers/common/device.js';
import type { ByteTransport } from '../../drivers/common/transport.js';
import type { LightsDevice } from '../../drivers/lights/contract.js';
import { createModbusIoBoard } from '../../drivers/lights/modbus-io/io-board-devices.js';
import { ModbusRtuMaster } from '../../drivers/transports/modbus-rtu-master.js';
import { PcscTransport } from '../../drivers/transports/pcsc-transport.js';
import { ReportStreamTransport } from '../../drivers/transports/report-stream-transport.js';
import type { PinPadDevice } from '../../drivers/pin-pad/contract.js';
import { Zt588PinPad } from '../../drivers/pin-pad/zt588/zt588-pin-pad.js';
import { EscPosPrinter } from '../../drivers/printer/escpos/escpos-printer.js';
import type { PrinterDevice } from '../../drivers/printer/contract.js';
import { esspSecurity } from './essp-security.js';

/** The contract type each device class's drivers implement. */
export interface DeviceByClass {
  auxiliaries: AuxiliariesDevice;
  lights: LightsDevice;
  printer: PrinterDevice;
  cardReader: CardReaderDevice;
  pinPad: PinPadDevice;
  cashAcceptor: CashAcceptorDevice | RecyclerDevice;
  cashDispenser: CashDispenserDevice;
  barcodeScanner: BarcodeScannerDevice;
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

const HidPosScannerOptions = z.object({ maxCodeBytes: z.number().int().min(16).max(65_536).optional() }).strict();

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
    takeWatchIntervalMs: z.number().int().min(10).max(60_000).optional(),
    ackTimeoutMs: z.number().int().min(10).max(10_000).optional(),
    replyTimeoutMs: z.number().int().min(10).max(10_000).optional(),
    motionTimeoutMs: z.number().int().min(100).max(60_000).optional(),
    retryDelayMs: z.number().int().min(0).max(10_000).optional(),
    maxRetries: z.number().int().min(0).max(10).optional(),
    missedPollsOffline: z.number().int().min(1).max(100).optional(),
    retainThreshold: z.number().int().min(1).max(10_000).optional(),
    retainCapacity: z.number().int().min(1).max(10_000).optional(),
    retainCount: z.number().int().min(0).max(10_000).optional(),
    /** The PC/SC reader wired to the contact unit, e.g. "Virtual PCD 00 00"; without it, magnetic tracks only. */
    chipReader: z.string().min(1).optional(),
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

const ModbusIoBoardOptions = z
  .object({
    unitId: z.number().int().min(1).max(247).optional(),
    responseTimeoutMs: z.number().int().min(10).max(10_000).optional(),
    pollIntervalMs: z.number().int().min(20).max(60_000).optional(),
    missedPollsOffline: z.number().int().min(1).max(100).optional(),
    /** Device id of the board's Lights face (its companion). Default "<id>Lights". */
    lightsId: z
      .string()
      .regex(/^[a-zA-Z][a-zA-Z0-9]{0,31}$/)
      .optional(),
  })
  .strict();

const CcnetOptions = z
  .object({
    pollIntervalMs: z.number().int().min(20).max(60_000).optional(),
    missedPollsOffline: z.number().int().min(1).max(100).optional(),
    escrowCapacity: z.number().int().min(1).max(200).optional(),
    insertIdleMs: z.number().int().min(50).max(60_000).optional(),
    replyTimeoutMs: z.number().int().min(10).max(10_000).optional(),
    retries: z.number().int().min(0).max(20).optional(),
    cashbox: z
      .object({ capacity: z.number().int().min(0).optional(), initialCount: z.number().int().min(0).optional() })
      .strict()
      .optional(),
  })
  .strict();

const EsspRecyclerOptions = CcnetOptions.extend({
  recyclers: z
    .array(
      z
        .object({
          currency: z.string().regex(/^[A-Z]{3}$/),
          value: z.number().int().min(1),
          capacity: z.number().int().min(0).optional(),
        })
        .strict(),
    )
    .optional(),
}).strict();

/** Both dispenser models: the cassettes in device order (top first) and the link timing. */
const DispenserOptions = z
  .object({
    cassettes: z
      .array(
        z
          .object({
            unitId: z.string().min(1),
            currency: z.string().regex(/^[A-Z]{3}$/),
            value: z.number().int().min(1),
            initialCount: z.number().int().min(0),
            lowThreshold: z.number().int().min(0).optional(),
            capacity: z.number().int().min(0).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(4),
    rejectUnit: z
      .object({ unitId: z.string().min(1).optional(), capacity: z.number().int().min(0).optional(), initialCount: z.number().int().min(0).optional() })
      .strict()
      .optional(),
    pollIntervalMs: z.number().int().min(20).max(60_000).optional(),
    takeWatchIntervalMs: z.number().int().min(10).max(60_000).optional(),
    missedPollsOffline: z.number().int().min(1).max(100).optional(),
    maxDispenseItems: z.number().int().min(1).max(100).optional(),
    tokensRequired: z.boolean().optional(),
    dispenseBaseMs: z.number().int().min(100).max(120_000).optional(),
    perNoteMs: z.number().int().min(10).max(10_000).optional(),
    ackTimeoutMs: z.number().int().min(10).max(10_000).optional(),
    replyTimeoutMs: z.number().int().min(10).max(60_000).optional(),
    maxRetries: z.number().int().min(0).max(10).optional(),
  })
  .strict();

export const DEVICE_MODELS: Readonly<Record<string, DeviceModel>> = {
  hidPosScanner: {
    deviceClass: 'barcodeScanner',
    description: 'HID POS (usage page 0x8C) barcode scanner, Honeywell report layout',
    optionsSchema: HidPosScannerOptions,
    // The configured byte link carries HID reports as frames; a node-hid ReportTransport would replace it on a real kiosk.
    create: (id, clock, transport, options) =>
      new HidPosScanner({ id, clock }, new ReportStreamTransport(transport), HidPosScannerOptions.parse(options)),
  },
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
    create: (id, clock, transport, options) => {
      const { chipReader, ...rest } = CreatorCardReaderOptions.parse(options);
      const chip = chipReader === undefined ? undefined : new PcscTransport({ reader: chipReader });
      return new CreatorCardReader({ id, clock }, transport, rest, chip);
    },
  },
  zt588: {
    deviceClass: 'pinPad',
    description: 'Zhengtong ZT588 encrypting PIN pad',
    optionsSchema: Zt588Options,
    create: (id, clock, transport, options) => new Zt588PinPad({ id, clock }, transport, options),
  },
  modbusIoBoard: {
    deviceClass: 'auxiliaries',
    description: 'Modbus RTU kiosk I/O board (sensors; guidance lights as its companion Lights device)',
    optionsSchema: ModbusIoBoardOptions,
    create: (id, clock, transport, options) => {
      const o = ModbusIoBoardOptions.parse(options);
      const master = new ModbusRtuMaster(transport, {
        clock,
        unitId: o.unitId,
        responseTimeoutMs: o.responseTimeoutMs,
      });
      const ids = { auxiliaries: id, lights: o.lightsId ?? `${id}Lights` };
      return createModbusIoBoard(ids, clock, master, o).auxiliaries;
    },
  },
  esspRecycler: {
    deviceClass: 'cashAcceptor',
    description: 'ITL SMART Payout note recycler (eSSP, encrypted)',
    optionsSchema: EsspRecyclerOptions,
    create: (id, clock, transport, options) =>
      new EsspRecycler({ id, clock }, transport, esspSecurity, EsspRecyclerOptions.parse(options)),
  },
  ccnet: {
    deviceClass: 'cashAcceptor',
    description: 'CashCode CCNET bill validator with drop cassette',
    optionsSchema: CcnetOptions,
    create: (id, clock, transport, options) => new CcnetAcceptor({ id, clock }, transport, CcnetOptions.parse(options)),
  },
  lcdm4000: {
    deviceClass: 'cashDispenser',
    description: 'Puloon LCDM-4000 four-cassette note dispenser (exit tray)',
    optionsSchema: DispenserOptions,
    create: (id, clock, transport, options) => new Lcdm4000Dispenser({ id, clock }, transport, DispenserOptions.parse(options)),
  },
  fujitsuF56: {
    deviceClass: 'cashDispenser',
    description: 'Fujitsu F56 four-cassette note dispenser (shuttered presenter)',
    optionsSchema: DispenserOptions,
    create: (id, clock, transport, options) => new F56Dispenser({ id, clock }, transport, DispenserOptions.parse(options)),
  },
};
