import { useTranslation } from 'react-i18next';
import type { Intent } from '../../../main/ipc-contract/intents.js';
import type { ScreenAction } from '../model/screen-actions.js';

/**
 * The screen's actions as buttons, in the order the function keys F1–F8 reach
 * them; each shows its key so a keyboard or side-key user knows which to press.
 */
export function ActionButtons({
  actions,
  send,
  label,
  first = 0,
  pressed,
  className = 'choices',
  primary,
}: {
  actions: readonly ScreenAction[];
  send: (intent: Intent) => void;
  /** The button text; by default the catalogue's `option.<id>`. */
  label?: (action: ScreenAction) => React.ReactNode;
  /** Index of the first of these actions in the screen's list (its function key is F<first+1>). */
  first?: number;
  pressed?: (action: ScreenAction) => boolean | undefined;
  className?: string;
  /** The action drawn as the main one. */
  primary?: string;
}): React.JSX.Element {
  const { t } = useTranslation();
  const text = label ?? ((action: ScreenAction) => t(`option.${action.id}`));
  return (
    <div className={className}>
      {actions.map((action, i) => {
        const index = first + i;
        return (
          <button
            key={action.id}
            type="button"
            className={action.id === primary ? 'choice primary' : 'choice'}
            data-option={action.id}
            aria-pressed={pressed?.(action)}
            lang={action.id.startsWith('language.') ? action.id.slice('language.'.length) : undefined}
            onClick={() => send(action.intent)}
          >
            {index < 8 && (
              <span className="fkey" aria-hidden="true">
                F{index + 1}
              </span>
            )}
            <span className="choice-label">{text(action)}</span>
          </button>
        );
      })}
    </div>
  );
}
