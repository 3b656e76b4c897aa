import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { DEVICE_CLASSES } from '../../drivers/common/device.js';
import { LanguageSchema, OperatorIdSchema } from '../ipc-contract/intents.js';
import { PASSWORD_HASH_PATTERN } from './maintenance/password-hash.js';

const Identifier = z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,31}$/, 'letters and digits, starting with a letter');

const SerialTransportSchema = z
  .object({
    kind: z.literal('serial'),
    path: z.string().min(1),
    baudRate: z.number().int().positive().default(9600),
  })
  .strict();

const TcpTransportSchema = z
  .object({
    kind: z.literal('tcp'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
  })
  .strict();

export const DeviceConfigSchema = z
  .object({
    id: Identifier,
    deviceClass: z.enum(DEVICE_CLASSES),
    /** A key of the device model registry, e.g. "escpos". */
    model: z.string().min(1),
    transport: z.discriminatedUnion('kind', [SerialTransportSchema, TcpTransportSchema]),
    /** When a critical device is unusable the kiosk goes out of service. */
    critical: z.boolean().default(false),
    /** Model-specific options, validated by the model's own schema. */
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type DeviceConfig = z.infer<typeof DeviceConfigSchema>;

export const HostConfigSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    terminal: z
      .object({
        terminalId: z.string().regex(/^[\x20-\x7e]{8}$/, '8 printable characters (DE41)'),
        acceptorId: z.string().regex(/^[\x20-\x7e]{15}$/, '15 printable characters (DE42)'),
        acquirerId: z.string().regex(/^\d{1,11}$/, 'up to 11 digits (DE32)'),
        nameLocation: z.string().regex(/^[\x20-\x7e]{40}$/, '40 printable characters (DE43)'),
        utcOffsetMinutes: z.number().int().min(-720).max(840).default(480),
      })
      .strict(),
    /**
     * The terminal master key in clear, hex. Test bench only: it is loaded into the
     * PIN pad in clear when the pad has none. A production kiosk gets its TMK in a
     * key ceremony and leaves this out of any file.
     */
    terminalMasterKeyHex: z.string().regex(/^([0-9A-Fa-f]{32}|[0-9A-Fa-f]{48})$/),
  })
  .strict();
export type HostConfig = z.infer<typeof HostConfigSchema>;

export const MaintenanceConfigSchema = z
  .object({
    /** Technicians who may sign in on the maintenance screens; with none, nobody can. */
    operators: z
      .array(
        z
          .object({
            id: OperatorIdSchema,
            /** `scrypt$N$r$p$<salt>$<hash>` (base64), made by main/cli/maintenance-password.ts. */
            passwordHash: z.string().regex(PASSWORD_HASH_PATTERN, 'scrypt$N$r$p$<salt base64>$<hash base64>'),
          })
          .strict(),
      )
      .refine((ops) => new Set(ops.map((o) => o.id)).size === ops.length, { message: 'operator ids must be unique' })
      .default([]),
    /** A technician who does nothing for this long is signed out. */
    inactivityMs: z.number().int().min(5_000).max(3_600_000).default(120_000),
    /** Wrong passwords in a row (any operator id) before logins are refused for `lockoutMs`. */
    maxTries: z.number().int().min(1).max(10).default(3),
    lockoutMs: z.number().int().min(1_000).max(86_400_000).default(300_000),
  })
  .strict();
export type MaintenanceConfig = z.infer<typeof MaintenanceConfigSchema>;

/**
 * The test bench's technician: id `tech01`, password `246810` (docs/maintenance.md).
 * Only the embedded simulator configuration has it; a kiosk's own file lists its technicians.
 */
export const TEST_BENCH_OPERATOR = {
  id: 'tech01',
  passwordHash: 'scrypt$16384$8$1$Aiea/zyKhNsGm9zJJUA6jQ==$GrIreLoCf/lHcB/MOD4Jv+U1geugj9RNjO54Z+zqdjA=',
} as const;

export const KioskConfigSchema = z
  .object({
    kioskId: z.string().regex(/^[A-Za-z0-9-]{1,16}$/),
    /** Where the runtime keeps its journal, counters and pty links. */
    stateDir: z.string().min(1),
    ui: z
      .object({
        /** Browser-host port on 127.0.0.1; 0 picks a free one. */
        port: z.number().int().min(0).max(65535).default(0),
        defaultLanguage: LanguageSchema.default('zh-CN'),
      })
      .strict()
      .prefault({}),
    /** The bank host (ISO 8583 over TCP); without it no card service is offered. */
    host: HostConfigSchema.optional(),
    devices: z.array(DeviceConfigSchema).refine((ds) => new Set(ds.map((d) => d.id)).size === ds.length, {
      message: 'device ids must be unique',
    }),
    /** Customer-wait timeouts in ms; the elderly mode multiplies them by `elderlyFactor`. */
    timeouts: z
      .object({
        customerMs: z.number().int().min(500).max(600_000).default(30_000),
        moreTimePromptMs: z.number().int().min(500).max(600_000).default(15_000),
        takeCardMs: z.number().int().min(500).max(600_000).default(30_000),
        takeCashMs: z.number().int().min(500).max(600_000).default(30_000),
        noticeMs: z.number().int().min(200).max(60_000).default(5_000),
        elderlyFactor: z.number().min(1).max(5).default(2),
      })
      .strict()
      .prefault({}),
    /** How often a device that failed to open is tried again, in ms. */
    reopenIntervalMs: z.number().int().min(100).max(600_000).default(2000),
    limits: z
      .object({
        currency: z
          .string()
          .regex(/^[A-Z]{3}$/)
          .default('CNY'),
        /** Per-transaction withdrawal limit in minor units (fen). */
        maxWithdrawalMinor: z.number().int().positive().default(500_000),
        /** Daily withdrawal limit per card in minor units (fen). */
        dailyWithdrawalMinor: z.number().int().positive().default(2_000_000),
        /** Notes are paid in multiples of this, minor units (100 CNY). */
        noteMultipleMinor: z.number().int().positive().default(10_000),
        /** Fast-cash buttons, minor units. */
        fastCashMinor: z
          .array(z.number().int().positive())
          .min(1)
          .max(8)
          .default([10_000, 50_000, 100_000, 200_000, 300_000, 500_000]),
      })
      .strict()
      .prefault({}),
    /** Supervisor mode (docs/maintenance.md). */
    maintenance: MaintenanceConfigSchema.prefault({}),
  })
  .strict();
export type KioskConfig = z.infer<typeof KioskConfigSchema>;

/** A configuration file that cannot be used; the message names the bad fields. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The host simulator's default port on 127.0.0.1. */
export const DEFAULT_HOST_SIM_PORT = 18583;

/** The simulated HID barcode scanner's default port on 127.0.0.1 (its reports over loopback TCP). */
export const DEFAULT_SCANNER_SIM_PORT = 18584;

/** The embedded default: every device and the bank host on simulators of this machine. */
export function defaultConfig(
  stateDir: string,
  hostPort = DEFAULT_HOST_SIM_PORT,
  scannerPort = DEFAULT_SCANNER_SIM_PORT,
): KioskConfig {
  const tty = (name: string): string => join(resolve(stateDir), 'run', 'tty', name);
  return KioskConfigSchema.parse({
    kioskId: 'SIM-0001',
    stateDir: resolve(stateDir),
    host: {
      host: '127.0.0.1',
      port: hostPort,
      terminal: {
        terminalId: 'SIM00001',
        acceptorId: 'OPENKIOSK000001',
        acquirerId: '12345678',
        nameLocation: 'OPEN KIOSK SIMULATOR     SHANGHAI     CN',
      },
      // The host simulator's demo TMK (simulators/host): test bench only.
      terminalMasterKeyHex: '0123456789ABCDEFFEDCBA9876543210',
    },
    devices: [
      {
        id: 'receiptPrinter',
        deviceClass: 'printer',
        model: 'escpos',
        transport: { kind: 'serial', path: tty('receiptPrinter'), baudRate: 115200 },
        critical: true,
      },
      {
        id: 'cardReader',
        deviceClass: 'cardReader',
        model: 'creatorCardReader',
        transport: { kind: 'serial', path: tty('cardReader'), baudRate: 9600 },
        critical: true,
        // The contact unit's chip is read through pcscd; the simulators put the card on vsmartcard's vpcd.
        options: { chipReader: 'Virtual PCD 00 00' },
      },
      {
        id: 'pinPad',
        deviceClass: 'pinPad',
        model: 'zt588',
        transport: { kind: 'serial', path: tty('pinPad'), baudRate: 9600 },
        critical: true,
      },
      {
        id: 'cashDispenser',
        deviceClass: 'cashDispenser',
        model: 'lcdm4000',
        transport: { kind: 'serial', path: tty('cashDispenser'), baudRate: 9600 },
        critical: false,
        // What the simulator loads: four CNY cassettes of 50 notes each.
        options: {
          cassettes: [
            { unitId: 'unit1', currency: 'CNY', value: 10_000, initialCount: 50 },
            { unitId: 'unit2', currency: 'CNY', value: 5_000, initialCount: 50 },
            { unitId: 'unit3', currency: 'CNY', value: 2_000, initialCount: 50 },
            { unitId: 'unit4', currency: 'CNY', value: 1_000, initialCount: 50 },
          ],
        },
      },
      {
        id: 'cashAcceptor',
        deviceClass: 'cashAcceptor',
        model: 'esspRecycler',
        transport: { kind: 'serial', path: tty('cashAcceptor'), baudRate: 9600 },
        critical: false,
      },
      {
        // Appointment (cardless) codes. HID on a real kiosk (node-hid); the simulator serves its reports on TCP.
        id: 'barcodeScanner',
        deviceClass: 'barcodeScanner',
        model: 'hidPosScanner',
        transport: { kind: 'tcp', host: '127.0.0.1', port: scannerPort },
        critical: false,
      },
      {
        id: 'ioBoard',
        deviceClass: 'auxiliaries',
        model: 'modbusIoBoard',
        transport: { kind: 'serial', path: tty('ioBoard'), baudRate: 9600 },
        critical: true,
      },
    ],
    maintenance: { operators: [TEST_BENCH_OPERATOR] },
  });
}

export function parseConfig(raw: unknown): KioskConfig {
  const result = KioskConfigSchema.safeParse(raw);
  if (!result.success) {
    const details = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid kiosk configuration: ${details}`);
  }
  return result.data;
}

export async function loadConfigFile(path: string): Promise<KioskConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read configuration ${path}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`configuration ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return parseConfig(raw);
}
