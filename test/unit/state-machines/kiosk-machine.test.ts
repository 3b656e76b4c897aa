import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { kioskMachine } from '../../../state-machines/kiosk/kiosk.machine.js';

const limits = { currency: 'CNY', maxWithdrawalMinor: 500_000, noteMultipleMinor: 10_000, fastCashMinor: [10_000] };

const printer = (state: 'online' | 'offline', critical = true) =>
  ({ type: 'device.statusChanged', id: 'receiptPrinter', deviceClass: 'printer', state, critical, limits: [] }) as const;

describe('kiosk machine', () => {
  it('starts, then enters service once devices are opened and usable', () => {
    const actor = createActor(kioskMachine, { input: { defaultLanguage: 'zh-CN', hostConfigured: false, limits } }).start();
    expect(actor.getSnapshot().value).toBe('starting');
    actor.send(printer('online'));
    actor.send({ type: 'devices.opened' });
    expect(actor.getSnapshot().value).toEqual({ inService: 'idle' });
  });

  it('goes out of service when a critical device fails and back when it recovers', () => {
    const actor = createActor(kioskMachine, { input: { defaultLanguage: 'zh-CN', hostConfigured: false, limits } }).start();
    actor.send(printer('online'));
    actor.send({ type: 'devices.opened' });
    actor.send(printer('offline'));
    expect(actor.getSnapshot().value).toBe('outOfService');
    expect(actor.getSnapshot().context.availability.reasons).toEqual(['reason.deviceDown.receiptPrinter']);
    actor.send(printer('online'));
    expect(actor.getSnapshot().value).toEqual({ inService: 'idle' });
  });

  it('stays out of service while a configured host is down', () => {
    const actor = createActor(kioskMachine, { input: { defaultLanguage: 'en', hostConfigured: true, limits } }).start();
    actor.send(printer('online'));
    actor.send({ type: 'devices.opened' });
    expect(actor.getSnapshot().value).toBe('outOfService');
    actor.send({ type: 'host.statusChanged', up: true });
    expect(actor.getSnapshot().value).toEqual({ inService: 'idle' });
  });

  it('takes language and accessibility choices only in service', () => {
    const actor = createActor(kioskMachine, { input: { defaultLanguage: 'zh-CN', hostConfigured: false, limits } }).start();
    expect(actor.getSnapshot().can({ type: 'ui.languageSelected', language: 'en' })).toBe(false);
    actor.send(printer('online'));
    actor.send({ type: 'devices.opened' });
    actor.send({ type: 'ui.languageSelected', language: 'en' });
    actor.send({ type: 'ui.accessibilityChanged', elderly: true, highContrast: false });
    expect(actor.getSnapshot().context).toMatchObject({ language: 'en', elderly: true, highContrast: false });
  });
});
