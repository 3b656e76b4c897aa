import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../drivers/common/clock.js';
import type { ReceiptBlock } from '../../../../drivers/protocols/escpos/receipt.js';
import type { CashUnitInfo } from '../../../../state-machines/maintenance/types.js';
import { countersSlip } from '../../../../main/runtime/maintenance/counters-slip.js';

const cassette = (
  unitId: string,
  valueMinor: number,
  initial: number,
  dispensed: number,
  rejected = 0,
): CashUnitInfo => ({
  unitId,
  role: 'cassette',
  currency: 'CNY',
  valueMinor,
  count: initial - dispensed - rejected,
  initial,
  dispensed,
  rejected,
  retracted: 0,
  fill: 'ok',
});
const UNITS: CashUnitInfo[] = [
  cassette('unit1', 10_000, 200, 12, 1),
  cassette('unit2', 5_000, 100, 3),
  {
    unitId: 'reject',
    role: 'bin',
    currency: '',
    valueMinor: 0,
    count: 3,
    initial: 0,
    dispensed: 0,
    rejected: 1,
    retracted: 2,
    fill: 'ok',
  },
];

const rows = (blocks: readonly ReceiptBlock[]): string[] =>
  blocks.flatMap((b) => (b.kind === 'keyValue' ? [`${b.key.trim()}=${b.value}`] : b.kind === 'text' ? [b.text] : []));

describe('counters slip', () => {
  // 2026-03-01 08:00 UTC is 16:00 in Shanghai.
  const clock = new ManualClock(Date.UTC(2026, 2, 1, 8, 0, 0));

  it('lists each cassette, the reject bin, what was paid out since the exchange, retained cards, operator and time', () => {
    const slip = countersSlip(
      { operatorId: 'tech01', units: UNITS, retainedCards: 2 },
      { bankName: 'Open Kiosk Bank', kioskId: 'SIM-0001', language: 'zh-CN', clock },
    );
    expect(rows(slip.blocks)).toEqual([
      'Open Kiosk Bank',
      '设备清机单',
      '终端号=SIM-0001',
      '打印时间=2026-03-01 16:00:00',
      '操作员=tech01',
      '钞箱 unit1=CNY 100.00',
      '加钞张数=200',
      '付出张数=12',
      '废钞张数=1',
      '剩余张数=187',
      '钞箱 unit2=CNY 50.00',
      '加钞张数=100',
      '付出张数=3',
      '废钞张数=0',
      '剩余张数=97',
      '废钞箱 reject=3',
      '废钞张数=1',
      '回收张数=2',
      // 12 × 100 + 3 × 50 yuan.
      '上次加钞后付出金额=CNY 1,350.00',
      '吞卡张数=2',
      '请与实物核对后签字',
    ]);
  });

  it("shows the recycler's cashbox as a cashbox with its notes, not as a reject bin", () => {
    const cashbox: CashUnitInfo = {
      unitId: 'cashbox',
      role: 'cashbox',
      currency: '',
      valueMinor: 0,
      count: 57,
      initial: 0,
      dispensed: 0,
      rejected: 0,
      retracted: 0,
      fill: 'ok',
    };
    const text = (language: 'zh-CN' | 'en'): string[] =>
      rows(
        countersSlip({ operatorId: 'tech01', units: [cashbox] }, { bankName: 'B', kioskId: 'K', language, clock })
          .blocks,
      );
    expect(text('zh-CN')).toContain('存款箱 cashbox=57');
    expect(text('en')).toContain('Cashbox cashbox=57');
    expect(text('zh-CN').some((r) => r.startsWith('废钞'))).toBe(false);
  });

  it('speaks English for an English kiosk and leaves out the card line without a reader', () => {
    const slip = countersSlip(
      { operatorId: 'tech01', units: UNITS },
      { bankName: 'B', kioskId: 'K', language: 'en', clock },
    );
    const text = rows(slip.blocks);
    expect(text).toContain('Dispensed since last exchange=CNY 1,350.00');
    expect(text.some((r) => r.startsWith('Retained cards'))).toBe(false);
  });
});
