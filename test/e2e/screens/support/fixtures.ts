import { readFileSync } from 'node:fs';
import type { Language } from '../../../../main/ipc-contract/intents.js';
import { MAINTENANCE_MENU, RESET_CARD_BIN } from '../../../../state-machines/maintenance/types.js';
import {
  COMPLAINT_OPTIONS,
  RATING_OPTIONS,
  SCREEN_IDS,
  type CashUnitSummary,
  type ScreenData,
  type ScreenId,
  type SessionView,
} from '../../../../main/ipc-contract/view.js';

export { SCREEN_IDS };
export type Catalogue = Record<string, string>;

export const catalogues: Record<Language, Catalogue> = {
  'zh-CN': JSON.parse(readFileSync('renderer/src/i18n/zh-CN.json', 'utf8')) as Catalogue,
  en: JSON.parse(readFileSync('renderer/src/i18n/en.json', 'utf8')) as Catalogue,
};

export interface Variant {
  readonly language: Language;
  readonly elderly: boolean;
  readonly highContrast: boolean;
  readonly voice?: boolean;
  readonly moreTime?: boolean;
}

/** The file name suffix of a variant's screenshots: <screen>-<lang>[-elderly][-high-contrast].png. */
export function variantName(v: Variant): string {
  return [v.language, v.elderly ? 'elderly' : '', v.highContrast ? 'high-contrast' : ''].filter(Boolean).join('-');
}

const CNY = { currency: 'CNY' } as const;
export const FAST_CASH = ['amount.10000', 'amount.20000', 'amount.50000', 'amount.100000', 'amount.200000', 'amount.300000', 'amount.other'];

const cassette = (unitId: string, valueMinor: number, count: number, dispensed: number): CashUnitSummary => ({
  unitId,
  role: 'cassette',
  currency: 'CNY',
  valueMinor,
  count,
  initial: count + dispensed,
  dispensed,
  rejected: 1,
  retracted: 0,
  fill: count < 100 ? 'low' : 'ok',
});
/** The default dispenser's four cassettes and its reject bin, then the recycler's units, part-way through a day. */
const CASH_UNITS: readonly CashUnitSummary[] = [
  cassette('unit1', 10_000, 1_840, 160),
  cassette('unit2', 5_000, 950, 50),
  cassette('unit3', 2_000, 60, 440),
  cassette('unit4', 1_000, 480, 20),
  { unitId: 'reject', role: 'bin', currency: '', valueMinor: 0, count: 6, initial: 0, dispensed: 0, rejected: 4, retracted: 2, fill: 'ok' },
  cassette('recycle1', 5_000, 24, 6),
  cassette('recycle2', 10_000, 31, 9),
  { unitId: 'cashbox', role: 'cashbox', currency: '', valueMinor: 0, count: 57, initial: 0, dispensed: 0, rejected: 0, retracted: 0, fill: 'ok' },
];
const OPERATOR = { operatorId: 'tech01' } as const;

/** What each screen shows in the fixtures: realistic options and data, as the runtime would project them. */
export const SCREEN_FIXTURES: Record<ScreenId, { readonly options?: readonly string[]; readonly data?: ScreenData }> = {
  starting: {},
  welcome: { options: ['language.zh-CN', 'language.en'] },
  outOfService: {},
  pleaseWait: { data: { step: 'step.authorizing' } },
  language: { options: ['language.zh-CN', 'language.en'] },
  pin: { data: { pinDigits: 4 } },
  menu: {
    options: ['menu.withdrawal', 'menu.deposit', 'menu.transfer', 'menu.balance', 'menu.pinChange', 'menu.miniStatement'],
    data: { maskedPan: '6222 **** **** 1234' },
  },
  amount: { options: FAST_CASH, data: { ...CNY, maxAmountMinor: 500_000 } },
  amountEntry: { data: { ...CNY, maxAmountMinor: 500_000, multipleMinor: 10_000 } },
  receiptQuestion: { options: ['receipt.yes', 'receipt.no'], data: { ...CNY, amountMinor: 100_000 } },
  confirm: { data: { ...CNY, amountMinor: 100_000 } },
  takeCash: { data: { ...CNY, amountMinor: 100_000, deadlineSeconds: 30 } },
  takeCard: { data: { deadlineSeconds: 30 } },
  balance: { options: ['receipt.print'], data: { ...CNY, availableBalanceMinor: 1_234_567, ledgerBalanceMinor: 1_250_000 } },
  anotherTransaction: { options: ['another.yes', 'another.no'] },
  notice: { data: { message: 'host.insufficientFunds' } },
  depositInsert: { data: { ...CNY, maxNotes: 100, deadlineSeconds: 60 } },
  depositCount: {},
  depositConfirm: {
    options: ['deposit.more'],
    data: {
      ...CNY,
      notes: [
        { valueMinor: 10_000, count: 12 },
        { valueMinor: 5_000, count: 3 },
        { valueMinor: 2_000, count: 1 },
      ],
      rejectedNotes: 2,
    },
  },
  depositReturn: { data: { rejectedNotes: 2, message: 'deposit.notesRejected', deadlineSeconds: 30 } },
  transferPayee: { data: { maxLength: 19 } },
  transferAmount: { data: { ...CNY, maxAmountMinor: 5_000_000, feeMinor: 200 } },
  transferWarning: { options: ['fraudWarning.acknowledged'] },
  transferConfirm: {
    data: {
      ...CNY,
      payeeNameMasked: '*小明',
      payeeAccountMasked: '6222 **** **** 5678',
      amountMinor: 300_000,
      feeMinor: 200,
      creditDelayHours: 24,
    },
  },
  transferResult: {
    options: ['transfer.revoke'],
    data: { ...CNY, amountMinor: 300_000, payeeNameMasked: '*小明', creditDelayHours: 24, message: 'transfer.pending' },
  },
  depositLargeCash: { data: { ...CNY, amountMinor: 6_000_000, message: 'deposit.largeCash' } },
  miniStatement: {
    options: ['receipt.print'],
    data: {
      ...CNY,
      statement: [
        { date: '2025-03-14', description: 'statement.withdrawal', amountMinor: -100_000, balanceMinor: 1_234_567 },
        { date: '2025-03-12', description: 'statement.transferIn', amountMinor: 500_000, balanceMinor: 1_334_567 },
        { date: '2025-03-10', description: 'statement.fee', amountMinor: -200, balanceMinor: 834_567 },
        { date: '2025-03-01', description: '工资', amountMinor: 800_000, balanceMinor: 834_767 },
      ],
    },
  },
  pinChange: { data: { pinStage: 'new', pinDigits: 2 } },
  noteMix: {
    options: ['mix.1', 'mix.2', 'mix.3', 'mix.4'],
    data: {
      ...CNY,
      amountMinor: 50_000,
      noteMixes: [
        { option: 'mix.1', notes: [{ valueMinor: 10_000, count: 5 }] },
        { option: 'mix.2', notes: [{ valueMinor: 10_000, count: 4 }, { valueMinor: 5_000, count: 2 }] },
        { option: 'mix.3', notes: [{ valueMinor: 5_000, count: 10 }] },
        { option: 'mix.4', notes: [{ valueMinor: 10_000, count: 3 }, { valueMinor: 2_000, count: 10 }] },
      ],
    },
  },
  retractNotice: { data: { ...CNY, amountMinor: 100_000 } },
  rating: { options: RATING_OPTIONS },
  complaint: { options: COMPLAINT_OPTIONS },
  complaintTicket: { data: { ticketNumber: 'C20250314-0042' } },
  maintLogin: { options: ['language.zh-CN', 'language.en'], data: { message: 'maint.login.wrong' } },
  maintMenu: { options: MAINTENANCE_MENU, data: OPERATOR },
  maintDevices: { data: OPERATOR },
  maintCashUnits: { data: { ...OPERATOR, cashUnits: CASH_UNITS } },
  maintReplenish: { data: { ...OPERATOR, cashUnits: CASH_UNITS, maxCount: 3000 } },
  maintReplenishConfirm: { data: { ...OPERATOR, cashUnits: CASH_UNITS, enteredCounts: [2_000, 1_500, 1_000, 500, 0, 24, 31, 0] } },
  maintCardBin: { options: [RESET_CARD_BIN], data: { ...OPERATOR, cardBin: { count: 3, threshold: 40, capacity: 50 } } },
  maintNotice: { data: { ...OPERATOR, message: 'maint.replenish.done', cashUnits: CASH_UNITS } },
};

export function fixtureView(screen: ScreenId, v: Variant): Omit<SessionView, 'seq'> {
  const fixture = SCREEN_FIXTURES[screen];
  const down = screen === 'outOfService';
  return {
    screen,
    language: v.language,
    availability: {
      inService: !down,
      withdrawal: !down,
      deposit: false,
      transfer: !down,
      balance: !down,
      receipts: !down,
      reasons: down ? ['reason.hostDown', 'reason.deviceDown.dispenser'] : [],
    },
    devices: [
      { id: 'receiptPrinter', deviceClass: 'printer', state: 'online', model: 'ESC/POS thermal printer' },
      { id: 'dispenser', deviceClass: 'cashDispenser', state: down ? 'offline' : 'online', model: 'LCDM' },
      { id: 'acceptor', deviceClass: 'cashAcceptor', state: 'hardwareError', model: 'eSSP' },
    ],
    accessibility: { elderly: v.elderly, highContrast: v.highContrast, voice: v.voice ?? false },
    options: fixture.options ?? [],
    data: fixture.data ?? {},
    moreTime: v.moreTime ?? false,
    kioskId: 'kiosk-test',
  };
}

/** The screen's heading as the catalogue writes it. */
export function expectedTitle(screen: ScreenId, c: Catalogue): string {
  const key: Partial<Record<ScreenId, string>> = {
    notice: 'host.insufficientFunds',
    pinChange: 'pinChange.new',
    transferResult: 'transferResult.pendingTitle',
    outOfService: 'outOfService.title',
    starting: 'starting.title',
  };
  return c[key[screen] ?? `${screen}.title`] ?? `(no title for ${screen})`;
}
