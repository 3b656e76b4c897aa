import { useEffect, useLayoutEffect, useRef } from 'react';
import type { Intent } from '../../../main/ipc-contract/intents.js';
import { isFunctionKey, mapKey, type KeyContext } from '../model/key-map.js';

/**
 * Listens for the function keys, the PIN pad's keys and a keyboard, and hands
 * each to the key map. Enter and Space on a focused option button are left to
 * the button itself, so a keyboard user's focus decides what Enter does.
 */
export function useKeyboard(context: KeyContext, send: (intent: Intent) => void, setEntry: (entry: string) => void): void {
  const latest = useRef({ context, send, setEntry });
  useLayoutEffect(() => {
    latest.current = { context, send, setEntry };
  });
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      // A touch-keypad key keeps no claim on Enter: Enter confirms the entry, as on the PIN pad.
      const onButton = event.target instanceof HTMLButtonElement && event.target.dataset.key === undefined;
      if (onButton && (event.key === 'Enter' || event.key === ' ')) return;
      // F5 must not reload the kiosk, F11 must not leave full screen, Escape must not exit it.
      if (isFunctionKey(event.key) || event.key === 'Escape') event.preventDefault();
      if (event.repeat) return;
      const { context: ctx, send: sendIntent, setEntry: edit } = latest.current;
      const outcome = mapKey(event.key, ctx);
      if (outcome.kind === 'intent') {
        event.preventDefault();
        sendIntent(outcome.intent);
      } else if (outcome.kind === 'entry') {
        event.preventDefault();
        edit(outcome.entry);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
