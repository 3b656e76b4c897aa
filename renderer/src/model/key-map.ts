import type { Intent } from '../../../main/ipc-contract/intents.js';
import type { SessionView } from '../../../main/ipc-contract/view.js';
import { editEntry, entryMaxLength, submitEntry, type EntryKey } from './entry.js';
import { MORE_TIME_ACTIONS, SCREEN_TRAITS, type ScreenAction } from './screen-actions.js';

/**
 * The one place a key becomes an intent. In a real kiosk the function keys
 * beside the display and the PIN pad arrive as keyboard events (F1–F8, digits,
 * Enter, Escape, Backspace, Delete); the runtime will forward PIN-pad presses
 * the same way, so this module is all that needs to know about them.
 */
export type KeyOutcome =
  | { readonly kind: 'intent'; readonly intent: Intent }
  | { readonly kind: 'entry'; readonly entry: string }
  | { readonly kind: 'ignored' };

export interface KeyContext {
  readonly view: SessionView;
  /** The screen's actions (under "need more time?" its answers take their place). */
  readonly actions: readonly ScreenAction[];
  /** Digits typed so far on a keypad screen. */
  readonly entry: string;
}

const FUNCTION_KEYS = ['F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8'];
const ENTRY_KEYS: Readonly<Record<string, EntryKey>> = { Backspace: 'back', Delete: 'clear' };
const IGNORED: KeyOutcome = { kind: 'ignored' };

export function isFunctionKey(key: string): boolean {
  return /^F([1-9]|1[0-2])$/.test(key);
}

export function mapKey(key: string, { view, actions: screen, entry }: KeyContext): KeyOutcome {
  const actions = view.moreTime ? MORE_TIME_ACTIONS : screen;
  const traits = SCREEN_TRAITS[view.screen];
  const fkey = FUNCTION_KEYS.indexOf(key);
  if (fkey >= 0) {
    const action = actions[fkey];
    return action ? { kind: 'intent', intent: action.intent } : IGNORED;
  }
  if (key === 'Escape') {
    return view.moreTime || traits.cancel ? { kind: 'intent', intent: { type: 'ui.cancelPressed' } } : IGNORED;
  }
  const entryKind = view.moreTime ? undefined : traits.entry;
  if (key === 'Enter') {
    if (entryKind) {
      const intent = submitEntry(entry, entryKind, view.data);
      return intent ? { kind: 'intent', intent } : IGNORED;
    }
    const first = actions[0];
    return first && (view.moreTime || traits.enterDefault) ? { kind: 'intent', intent: first.intent } : IGNORED;
  }
  const entryKey = /^[0-9]$/.test(key) ? (key as EntryKey) : ENTRY_KEYS[key];
  if (entryKind && entryKey) {
    return { kind: 'entry', entry: editEntry(entry, entryKey, entryKind, entryMaxLength(entryKind, view.data)) };
  }
  return IGNORED;
}
