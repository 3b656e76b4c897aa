import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { IntentSchema, MAX_CASSETTE_COUNT, MAX_COUNTED_UNITS } from '../../../../main/ipc-contract/intents.js';
import { RendererHub } from '../../../../main/runtime/renderer-bridge.js';
import { defaultConfig, parseConfig, TEST_BENCH_OPERATOR } from '../../../../main/runtime/config.js';
import { MAX_CASSETTE_COUNT as MACHINE_MAX } from '../../../../state-machines/maintenance/types.js';

const valid = (intent: unknown) => IntentSchema.safeParse(intent).success;

describe('maintenance intents', () => {
  it('take an operator id and a bounded printable password', () => {
    expect(valid({ type: 'maint.login', operatorId: 'tech01', password: '246810' })).toBe(true);
    expect(valid({ type: 'maint.login', operatorId: 'tech01', password: '' })).toBe(false);
    expect(valid({ type: 'maint.login', operatorId: 'tech01', password: 'x'.repeat(65) })).toBe(false);
    expect(valid({ type: 'maint.login', operatorId: 'tech01', password: 'a\nb' })).toBe(false);
    expect(valid({ type: 'maint.login', operatorId: 'tech-01', password: 'x' })).toBe(false);
    expect(valid({ type: 'maint.login', operatorId: 'x'.repeat(17), password: 'x' })).toBe(false);
    expect(valid({ type: 'maint.login', operatorId: 'tech01', password: 'x', role: 'admin' })).toBe(false);
  });

  it('take whole counts from 0 to the cassette limit, and nothing that names a unit or an amount', () => {
    expect(valid({ type: 'maint.countsEntered', counts: [0, MAX_CASSETTE_COUNT] })).toBe(true);
    expect(valid({ type: 'maint.countsEntered', counts: [] })).toBe(false);
    expect(valid({ type: 'maint.countsEntered', counts: [MAX_CASSETTE_COUNT + 1] })).toBe(false);
    expect(valid({ type: 'maint.countsEntered', counts: [-1] })).toBe(false);
    expect(valid({ type: 'maint.countsEntered', counts: [1.5] })).toBe(false);
    expect(valid({ type: 'maint.countsEntered', counts: Array.from({ length: MAX_COUNTED_UNITS }, () => 1) })).toBe(true);
    expect(valid({ type: 'maint.countsEntered', counts: Array.from({ length: MAX_COUNTED_UNITS + 1 }, () => 1) })).toBe(false);
    expect(valid({ type: 'maint.countsEntered', counts: [1], unitId: 'unit1' })).toBe(false);
    expect(valid({ type: 'maint.dispense', amountMinor: 100 })).toBe(false);
  });

  it('never put a refused password into the log or the refusal record', () => {
    const logged: string[] = [];
    const refusals: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void logged.push(line) });
    const hub = new RendererHub(() => ({ accepted: true }), log, (reason) => refusals.push(reason));
    const connection = hub.connect(() => undefined);
    for (const password of ['hunter2\u0007secret', `hunter2${'x'.repeat(70)}`]) {
      connection.receive(JSON.stringify({ kind: 'intent', id: 1, intent: { type: 'maint.login', operatorId: 'tech01', password } }));
    }
    expect(refusals).toHaveLength(2);
    expect(logged).toHaveLength(2);
    expect(logged.join() + refusals.join()).not.toContain('hunter2');
  });

  it('share the cassette limit with the maintenance machine (neither layer may import the other)', () => {
    expect(MAX_CASSETTE_COUNT).toBe(MACHINE_MAX);
  });
});

describe('maintenance configuration', () => {
  it('has no technicians unless the file lists them; the simulator default has the test bench one', () => {
    const base = defaultConfig('/tmp/kiosk-x');
    const { maintenance: _m, ...rest } = base;
    expect(parseConfig(rest).maintenance).toEqual({
      operators: [],
      inactivityMs: 120_000,
      maxTries: 3,
      lockoutMs: 300_000,
    });
    expect(base.maintenance.operators).toEqual([TEST_BENCH_OPERATOR]);
  });

  it('refuses a plain password, duplicate ids and unknown keys, naming the field', () => {
    const base = defaultConfig('/tmp/kiosk-x');
    const withOperators =
      (operators: unknown, more: object = {}) =>
      () =>
        parseConfig({ ...base, maintenance: { ...base.maintenance, operators, ...more } });
    expect(withOperators([{ id: 'tech02', passwordHash: '246810' }])).toThrow(
      /maintenance\.operators\.0\.passwordHash/,
    );
    expect(withOperators([TEST_BENCH_OPERATOR, TEST_BENCH_OPERATOR])).toThrow(/operator ids must be unique/);
    expect(withOperators([{ ...TEST_BENCH_OPERATOR, password: 'x' }])).toThrow(/maintenance\.operators\.0/);
    expect(withOperators([], { inactivityMs: 100 })).toThrow(/maintenance\.inactivityMs/);
  });
});
