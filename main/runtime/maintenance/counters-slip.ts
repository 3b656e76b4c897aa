import type { ReceiptBlock, ReceiptDocument } from '../../../drivers/protocols/escpos/receipt.js';
import type { CashUnitInfo } from '../../../state-machines/maintenance/types.js';
import type { Language } from '../../ipc-contract/intents.js';
import { formatAmount } from '../../receipts/receipt-format.js';
import { keyValue, receiptHeader, type ReceiptContext } from '../../receipts/receipt-header.js';

/** What a counters (settlement) slip shows; no card data, no customer. */
export interface CountersSlipData {
  readonly operatorId: string;
  readonly units: readonly CashUnitInfo[];
  /** Cards in the retain bin; undefined when the kiosk has no card reader. */
  readonly retainedCards?: number;
}

const LABELS = {
  'zh-CN': {
    title: '设备清机单',
    kiosk: '终端号',
    dateTime: '打印时间',
    operator: '操作员',
    cassette: '钞箱',
    bin: '废钞箱',
    cashbox: '存款箱',
    loaded: '  加钞张数',
    dispensed: '  付出张数',
    rejected: '  废钞张数',
    retracted: '  回收张数',
    remaining: '  剩余张数',
    dispensedTotal: '上次加钞后付出金额',
    retainedCards: '吞卡张数',
    footer: '请与实物核对后签字',
  },
  en: {
    title: 'Counters and settlement',
    kiosk: 'Terminal',
    dateTime: 'Printed',
    operator: 'Operator',
    cassette: 'Cassette',
    bin: 'Reject bin',
    cashbox: 'Cashbox',
    loaded: '  Loaded',
    dispensed: '  Dispensed',
    rejected: '  Rejected',
    retracted: '  Retracted',
    remaining: '  Remaining',
    dispensedTotal: 'Dispensed since last exchange',
    retainedCards: 'Retained cards',
    footer: 'Check against the cash and sign',
  },
} as const satisfies Record<Language, Record<string, string>>;

/**
 * The slip a technician prints at a replenishment or settlement: every
 * cassette's (and recycle unit's) notes loaded, dispensed, rejected and left,
 * the reject bin, the recycler's cashbox, the amount dispensed since the last
 * exchange per currency, retained cards, the operator and the time.
 */
export function countersSlip(data: CountersSlipData, context: ReceiptContext): ReceiptDocument {
  const labels = LABELS[context.language];
  const row = keyValue;
  const blocks: ReceiptBlock[] = [
    ...receiptHeader(context, labels),
    row(labels.operator, data.operatorId),
    { kind: 'separator' },
  ];
  const totals = new Map<string, number>();
  for (const unit of data.units) {
    if (unit.role === 'cassette') {
      blocks.push(
        {
          kind: 'keyValue',
          key: `${labels.cassette} ${unit.unitId}`,
          value: formatAmount(unit.valueMinor, unit.currency),
          bold: true,
        },
        row(labels.loaded, unit.initial),
        row(labels.dispensed, unit.dispensed),
        row(labels.rejected, unit.rejected),
        row(labels.remaining, unit.count),
      );
      totals.set(unit.currency, (totals.get(unit.currency) ?? 0) + unit.dispensed * unit.valueMinor);
    } else if (unit.role === 'cashbox') {
      // The recycler's deposits: its notes are counted, none was paid out or rejected from it.
      blocks.push({ kind: 'keyValue', key: `${labels.cashbox} ${unit.unitId}`, value: String(unit.count), bold: true });
    } else {
      blocks.push(
        { kind: 'keyValue', key: `${labels.bin} ${unit.unitId}`, value: String(unit.count), bold: true },
        row(labels.rejected, unit.rejected),
        row(labels.retracted, unit.retracted),
      );
    }
  }
  blocks.push({ kind: 'separator' });
  for (const [currency, minor] of totals) {
    blocks.push({ kind: 'keyValue', key: labels.dispensedTotal, value: formatAmount(minor, currency), bold: true });
  }
  if (data.retainedCards !== undefined) blocks.push(row(labels.retainedCards, data.retainedCards));
  blocks.push(
    { kind: 'separator' },
    { kind: 'text', text: labels.footer, align: 'center' },
    { kind: 'feed', lines: 3 },
  );
  return { blocks };
}
