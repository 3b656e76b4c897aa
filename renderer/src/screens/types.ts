import type { Intent } from '../../../main/ipc-contract/intents.js';
import type { SessionView } from '../../../main/ipc-contract/view.js';
import type { EntryKey } from '../model/entry.js';
import type { ScreenAction } from '../model/screen-actions.js';

/** What every screen component receives: the view, its actions, and the keypad entry when it has one. */
export interface ScreenProps {
  readonly view: SessionView;
  readonly actions: readonly ScreenAction[];
  readonly send: (intent: Intent) => void;
  readonly entry: string;
  readonly onEntryKey: (key: EntryKey) => void;
}
