import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntentSchema } from '../../../main/ipc-contract/intents.js';
import { SCREEN_IDS, type ScreenId, type SessionView } from '../../../main/ipc-contract/view.js';
import { editEntry, submitEntry } from '../../../renderer/src/model/entry.js';
import { mapKey, type KeyOutcome } from '../../../renderer/src/model/key-map.js';
import { screenActions, visibleOptions } from '../../../renderer/src/model/screen-actions.js';

function view(screen: ScreenId, more: Partial<SessionView> = {}): SessionView {
  return {
    seq: 1,
    screen,
    language: 'zh-CN',
    availability: { inService: true, withdrawal: true, deposit: true, transfer: true, balance: true, receipts: true, reasons: [] },
    devices: [],
    accessibility: { elderly: false, highContrast: false, voice: false },
    options: [],
    data: {},
    moreTime: false,
    kioskId: 'k1',
    ...more,
  };
}

function press(key: string, v: SessionView, entry = ''): KeyOutcome {
  return mapKey(key, { view: v, actions: screenActions(v), entry });
}

const FAST_CASH = ['amount.10000', 'amount.20000', 'amount.50000', 'amount.100000', 'amount.200000', 'amount.300000', 'amount.other'];
const amount = view('amount', { options: FAST_CASH, data: { currency: 'CNY', maxAmountMinor: 500_000 } });
const amountEntry = view('amountEntry', { data: { currency: 'CNY', maxAmountMinor: 500_000, multipleMinor: 10_000 } });

describe('function keys, Enter and Escape', () => {
  it('map F1–F8 to the offered options in order', () => {
    FAST_CASH.forEach((option, i) => {
      expect(press(`F${i + 1}`, amount)).toEqual({ kind: 'intent', intent: { type: 'ui.optionSelected', option } });
    });
    expect(press('F8', amount)).toEqual({ kind: 'ignored' });
  });

  it('turn a language option into a language choice', () => {
    const language = view('language', { options: ['language.zh-CN', 'language.en'] });
    expect(press('F2', language)).toEqual({ kind: 'intent', intent: { type: 'ui.languageSelected', language: 'en' } });
  });

  it('put the confirm button after the options, and Enter does the first action', () => {
    const balance = view('balance', { options: ['receipt.print'] });
    expect(press('F2', balance)).toEqual({ kind: 'intent', intent: { type: 'ui.confirmed' } });
    expect(press('Enter', balance)).toEqual({ kind: 'intent', intent: { type: 'ui.optionSelected', option: 'receipt.print' } });
    expect(press('Enter', view('confirm'))).toEqual({ kind: 'intent', intent: { type: 'ui.confirmed' } });
  });

  it('never acknowledge the anti-fraud warning on a reflexive Enter, only on its own key', () => {
    const warning = view('transferWarning', { options: ['fraudWarning.acknowledged'] });
    expect(press('Enter', warning)).toEqual({ kind: 'ignored' });
    expect(press('F2', warning)).toEqual({ kind: 'ignored' });
    expect(press('F1', warning)).toEqual({
      kind: 'intent',
      intent: { type: 'ui.optionSelected', option: 'fraudWarning.acknowledged' },
    });
  });

  it('cancel with Escape on customer steps only', () => {
    expect(press('Escape', amount)).toEqual({ kind: 'intent', intent: { type: 'ui.cancelPressed' } });
    for (const screen of ['welcome', 'takeCash', 'takeCard', 'pleaseWait', 'outOfService'] as const) {
      expect(press('Escape', view(screen))).toEqual({ kind: 'ignored' });
    }
  });

  it('answer "need more time?" with F1/Enter (yes) and F2/Escape (no), whatever the screen beneath', () => {
    const asking = { ...amountEntry, moreTime: true };
    expect(press('F1', asking)).toEqual({ kind: 'intent', intent: { type: 'ui.moreTimeRequested' } });
    expect(press('Enter', asking, '5')).toEqual({ kind: 'intent', intent: { type: 'ui.moreTimeRequested' } });
    expect(press('F2', asking)).toEqual({ kind: 'intent', intent: { type: 'ui.cancelPressed' } });
    expect(press('Escape', asking)).toEqual({ kind: 'intent', intent: { type: 'ui.cancelPressed' } });
    expect(press('5', asking)).toEqual({ kind: 'ignored' });
  });
});

describe('keypad entry', () => {
  it('builds a whole amount from digits and sends it in minor units', () => {
    let entry = '';
    for (const key of ['0', '1', '5', '0', '0']) {
      const outcome = press(key, amountEntry, entry);
      if (outcome.kind === 'entry') entry = outcome.entry;
    }
    expect(entry).toBe('1500');
    expect(press('Backspace', amountEntry, entry)).toEqual({ kind: 'entry', entry: '150' });
    expect(press('Delete', amountEntry, entry)).toEqual({ kind: 'entry', entry: '' });
    expect(press('Enter', amountEntry, entry)).toEqual({ kind: 'intent', intent: { type: 'ui.amountEntered', amountMinor: 150_000 } });
    expect(press('Enter', amountEntry, '')).toEqual({ kind: 'ignored' });
  });

  it('stops at the digits of the maximum amount', () => {
    // 5,000 CNY maximum: four digits.
    expect(editEntry('9999', '9', 'amount', 4)).toBe('9999');
    expect(press('9', amountEntry, '9999')).toEqual({ kind: 'entry', entry: '9999' });
  });

  it('keeps leading zeros of an account number and sends it as text', () => {
    const payee = view('transferPayee', { data: { maxLength: 6 } });
    expect(press('0', payee, '')).toEqual({ kind: 'entry', entry: '0' });
    expect(press('Enter', payee, '012345')).toEqual({
      kind: 'intent',
      intent: { type: 'ui.textEntered', field: 'payeeAccount', text: '012345' },
    });
  });

  it('never sends an amount the intent schema would refuse', () => {
    expect(submitEntry('1000001', 'amount', { currency: 'CNY' })).toBeUndefined();
    expect(submitEntry('1000000', 'amount', { currency: 'CNY' })).toEqual({ type: 'ui.amountEntered', amountMinor: 100_000_000 });
  });
});

describe('elderly mode', () => {
  it('offers at most four fast-cash amounts, and always "other amount"', () => {
    const elderly = { ...amount, accessibility: { elderly: true, highContrast: false, voice: false } };
    expect(visibleOptions(elderly)).toEqual(['amount.10000', 'amount.20000', 'amount.50000', 'amount.100000', 'amount.other']);
    expect(press('F5', elderly)).toEqual({ kind: 'intent', intent: { type: 'ui.optionSelected', option: 'amount.other' } });
  });
});

describe('any key on any screen', () => {
  it('yields only intents the runtime will accept as valid', () => {
    const keys = fc.oneof(
      fc.constantFrom('F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'F12', 'Enter', 'Escape', 'Backspace', 'Delete', ' ', 'a'),
      fc.integer({ min: 0, max: 9 }).map(String),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...SCREEN_IDS),
        fc.array(keys, { maxLength: 30 }),
        fc.boolean(),
        fc.boolean(),
        (screen, sequence, moreTime, elderly) => {
          const v = view(screen, {
            moreTime,
            options: FAST_CASH,
            accessibility: { elderly, highContrast: false, voice: false },
            data: { currency: 'CNY', maxAmountMinor: 2_000_000 },
          });
          let entry = '';
          for (const key of sequence) {
            const outcome = press(key, v, entry);
            if (outcome.kind === 'entry') entry = outcome.entry;
            if (outcome.kind === 'intent') expect(IntentSchema.safeParse(outcome.intent).success).toBe(true);
          }
        },
      ),
    );
  });
});
