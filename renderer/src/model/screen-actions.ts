import type { Intent, Language } from '../../../main/ipc-contract/intents.js';
import type { ScreenId, SessionView } from '../../../main/ipc-contract/view.js';
import type { EntryKind } from './entry.js';

/**
 * What each screen lets the customer do, as data: the touch buttons, the
 * hardware function keys (F1–F8 in button order) and Enter all act on the same
 * list, so a screen can be driven by touch, by the keys beside the display or
 * by a keyboard alone.
 */
export interface ScreenAction {
  /** The offered option id, or `confirm`, `moreTime.*`, `accessibility.*`. */
  readonly id: string;
  readonly intent: Intent;
}

interface ScreenTraits {
  /** A customer step: Cancel is offered (button and Escape). */
  readonly cancel: boolean;
  /** Catalogue key of a `ui.confirmed` button, after the offered options. */
  readonly confirm?: string;
  /** The keypad entry the screen collects. */
  readonly entry?: EntryKind;
  /** Enter does the first action; off where a reflex must not commit (the anti-fraud warning). */
  readonly enterDefault: boolean;
  /** The voice prompt plays with headphones in; the technician's screens have none. */
  readonly spoken: boolean;
  /** Follows the customer's elderly mode; the technician's screens keep their dense layout. */
  readonly large: boolean;
}

const step = (more: Partial<ScreenTraits> = {}): ScreenTraits => ({
  cancel: true,
  enterDefault: true,
  spoken: true,
  large: true,
  ...more,
});
const display = (more: Partial<ScreenTraits> = {}): ScreenTraits => ({
  cancel: false,
  enterDefault: true,
  spoken: true,
  large: true,
  ...more,
});
/** A technician's screen: silent, dense, and Enter submits its form rather than the first button. */
const technician = (more: Partial<ScreenTraits> = {}): ScreenTraits => ({
  cancel: false,
  enterDefault: false,
  spoken: false,
  large: false,
  ...more,
});

export const SCREEN_TRAITS: Record<ScreenId, ScreenTraits> = {
  starting: display(),
  welcome: display({ enterDefault: false }),
  outOfService: display(),
  pleaseWait: display(),
  language: step(),
  pin: step(),
  menu: step(),
  amount: step(),
  amountEntry: step({ entry: 'amount' }),
  receiptQuestion: step(),
  confirm: step({ confirm: 'action.confirm' }),
  takeCash: display(),
  takeCard: display(),
  balance: step({ confirm: 'action.done' }),
  anotherTransaction: step(),
  notice: display({ confirm: 'action.ok' }),
  depositInsert: step({ confirm: 'depositInsert.done' }),
  depositCount: display(),
  depositConfirm: step({ confirm: 'action.deposit' }),
  depositReturn: display(),
  transferPayee: step({ entry: 'payeeAccount' }),
  transferAmount: step({ entry: 'amount' }),
  // Acknowledged only by its own offered option (`fraudWarning.acknowledged`), never by Enter.
  transferWarning: step({ enterDefault: false }),
  transferConfirm: step({ confirm: 'action.confirm' }),
  transferResult: display({ confirm: 'action.done' }),
  depositLargeCash: step({ confirm: 'action.confirm' }),
  miniStatement: step({ confirm: 'action.done' }),
  pinChange: step(),
  noteMix: step(),
  retractNotice: display({ confirm: 'action.ok' }),
  rating: step(),
  complaint: step(),
  complaintTicket: display({ confirm: 'action.done' }),
  maintLogin: technician(),
  maintMenu: technician({ enterDefault: true }),
  maintDevices: technician({ confirm: 'action.back', enterDefault: true }),
  maintCashUnits: technician({ confirm: 'action.back', enterDefault: true }),
  // Cancel ends the exchange with the counts unchanged.
  maintReplenish: technician({ cancel: true }),
  // Cancel goes back to the entry.
  maintReplenishConfirm: technician({ cancel: true, confirm: 'action.confirm' }),
  maintCardBin: technician({ confirm: 'action.back' }),
  maintNotice: technician({ confirm: 'action.ok', enterDefault: true }),
};

/** Elderly mode offers fewer choices: at most this many of an option family per screen. */
const ELDERLY_LIMITS: readonly {
  readonly prefix: string;
  readonly keep: (option: string) => boolean;
  readonly max: number;
}[] = [
  { prefix: 'amount.', keep: (o) => o === 'amount.other', max: 4 },
  { prefix: 'mix.', keep: () => false, max: 3 },
];

/** The options the screen shows: all of them, or in elderly mode the first few of a long family. */
export function visibleOptions(view: SessionView): readonly string[] {
  if (!view.accessibility.elderly) return view.options;
  const seen = new Map<string, number>();
  return view.options.filter((option) => {
    const limit = ELDERLY_LIMITS.find((l) => option.startsWith(l.prefix) && !l.keep(option));
    if (!limit) return true;
    const n = (seen.get(limit.prefix) ?? 0) + 1;
    seen.set(limit.prefix, n);
    return n <= limit.max;
  });
}

function optionIntent(option: string): Intent {
  const language = /^language\.(zh-CN|en)$/.exec(option)?.[1] as Language | undefined;
  return language ? { type: 'ui.languageSelected', language } : { type: 'ui.optionSelected', option };
}

/** The answers to "need more time?"; while it shows they are the only actions. */
export const MORE_TIME_ACTIONS: readonly ScreenAction[] = [
  { id: 'moreTime.yes', intent: { type: 'ui.moreTimeRequested' } },
  { id: 'moreTime.no', intent: { type: 'ui.cancelPressed' } },
];

/** The screen's actions in button order. */
export function screenActions(view: SessionView): readonly ScreenAction[] {
  const actions: ScreenAction[] = visibleOptions(view).map((id) => ({ id, intent: optionIntent(id) }));
  const traits = SCREEN_TRAITS[view.screen];
  if (traits.confirm) actions.push({ id: 'confirm', intent: { type: 'ui.confirmed' } });
  if (view.screen === 'welcome') {
    const { elderly, highContrast } = view.accessibility;
    actions.push(
      { id: 'accessibility.elderly', intent: { type: 'ui.accessibilityChanged', elderly: !elderly, highContrast } },
      {
        id: 'accessibility.highContrast',
        intent: { type: 'ui.accessibilityChanged', elderly, highContrast: !highContrast },
      },
    );
  }
  return actions;
}
