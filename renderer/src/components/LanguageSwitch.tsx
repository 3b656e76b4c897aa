import { useTranslation } from 'react-i18next';
import type { Intent } from '../../../main/ipc-contract/intents';
import type { Language } from '../../../main/ipc-contract/intents';

export function LanguageSwitch({
  current,
  send,
}: {
  current: Language;
  send: (intent: Intent) => void;
}): React.JSX.Element {
  const { t } = useTranslation();
  const languages: Language[] = ['zh-CN', 'en'];
  return (
    <nav className="language-switch" aria-label={t('language.choose')}>
      {languages.map((language) => (
        <button
          key={language}
          type="button"
          lang={language}
          aria-pressed={current === language}
          onClick={() => send({ type: 'ui.languageSelected', language })}
        >
          {t(`language.${language}`)}
        </button>
      ))}
    </nav>
  );
}
