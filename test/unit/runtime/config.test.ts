import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, loadConfigFile, parseConfig } from '../../../main/runtime/config.js';
import { DeviceManager } from '../../../main/runtime/device-manager.js';
import { systemClock } from '../../../drivers/common/clock.js';
import { pino } from 'pino';

describe('kiosk configuration', () => {
  it('embeds a default that runs every device on a local simulator', () => {
    const config = defaultConfig('/var/lib/kiosk');
    expect(config.ui.defaultLanguage).toBe('zh-CN');
    expect(config.limits).toMatchObject({ currency: 'CNY', maxWithdrawalMinor: 500_000, dailyWithdrawalMinor: 2_000_000, noteMultipleMinor: 10_000 });
    expect(config.devices.find((d) => d.id === 'receiptPrinter')?.transport).toEqual({
      kind: 'serial',
      path: '/var/lib/kiosk/run/tty/receiptPrinter',
      baudRate: 115200,
    });
  });

  it('names every bad field in one clear error', () => {
    const raw = {
      kioskId: 'bad id!',
      stateDir: '/x',
      devices: [{ id: 'p', deviceClass: 'toaster', model: 'escpos', transport: { kind: 'serial', path: '' } }],
    };
    expect(() => parseConfig(raw)).toThrow(ConfigError);
    try {
      parseConfig(raw);
    } catch (err) {
      expect((err as Error).message).toMatch(/kioskId/);
      expect((err as Error).message).toMatch(/devices\.0\.deviceClass/);
      expect((err as Error).message).toMatch(/devices\.0\.transport\.path/);
    }
  });

  it('refuses duplicate device ids and unknown keys', () => {
    const device = { id: 'p', deviceClass: 'printer', model: 'escpos', transport: { kind: 'serial', path: '/dev/ttyS0' } };
    expect(() => parseConfig({ kioskId: 'K1', stateDir: '/x', devices: [device, device] })).toThrow(/unique/);
    expect(() => parseConfig({ kioskId: 'K1', stateDir: '/x', devices: [], surprise: 1 })).toThrow(ConfigError);
  });

  it('reports unreadable and non-JSON files as ConfigError', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-config-'));
    await writeFile(join(dir, 'bad.json'), '{ not json');
    await expect(loadConfigFile(join(dir, 'bad.json'))).rejects.toThrow(/not valid JSON/);
    await expect(loadConfigFile(join(dir, 'missing.json'))).rejects.toThrow(ConfigError);
  });

  it('refuses a model that does not exist, serves another class, or has bad options', () => {
    const make = (device: object): (() => DeviceManager) => () =>
      new DeviceManager(parseConfig({ kioskId: 'K1', stateDir: '/x', devices: [device] }).devices, systemClock, pino({ level: 'silent' }), 1000, () => undefined);
    const transport = { kind: 'serial', path: '/dev/null' };
    expect(make({ id: 'p', deviceClass: 'printer', model: 'nope', transport })).toThrow(/unknown model/);
    expect(make({ id: 'p', deviceClass: 'cardReader', model: 'escpos', transport })).toThrow(/is a printer/);
    expect(make({ id: 'p', deviceClass: 'printer', model: 'escpos', transport, options: { columns: 5 } })).toThrow(/bad options/);
  });
});
