import type { Language } from '../ipc-contract/intents.js';

export type ReceiptTransactionType = 'withdrawal' | 'deposit' | 'balanceInquiry' | 'transfer' | 'miniStatement';

export interface ReceiptLabels {
  readonly title: string;
  readonly kiosk: string;
  readonly dateTime: string;
  readonly card: string;
  readonly type: string;
  readonly types: Readonly<Record<ReceiptTransactionType, string>>;
  readonly amount: string;
  readonly balance: string;
  readonly reference: string;
  readonly trace: string;
  readonly authCode: string;
  readonly qrCaption: string;
  readonly footer: string;
}

/** Printed labels per language; zh-CN first, as on the screens. */
export const RECEIPT_LABELS: Readonly<Record<Language, ReceiptLabels>> = {
  'zh-CN': {
    title: '自助设备交易凭条',
    kiosk: '终端号',
    dateTime: '交易时间',
    card: '卡号',
    type: '交易类型',
    types: { withdrawal: '取款', deposit: '存款', balanceInquiry: '余额查询', transfer: '转账', miniStatement: '交易明细' },
    amount: '交易金额',
    balance: '可用余额',
    reference: '参考号',
    trace: '流水号',
    authCode: '授权码',
    qrCaption: '扫码查看电子回单或投诉',
    footer: '请妥善保管本凭条',
  },
  en: {
    title: 'Self-service Transaction Record',
    kiosk: 'Terminal',
    dateTime: 'Date/Time',
    card: 'Card',
    type: 'Transaction',
    types: {
      withdrawal: 'Withdrawal',
      deposit: 'Deposit',
      balanceInquiry: 'Balance inquiry',
      transfer: 'Transfer',
      miniStatement: 'Mini-statement',
    },
    amount: 'Amount',
    balance: 'Available balance',
    reference: 'Reference',
    trace: 'Trace no.',
    authCode: 'Auth code',
    qrCaption: 'Scan for e-receipt or complaints',
    footer: 'Please keep this receipt',
  },
};
