import { useTranslation } from 'react-i18next';
import type { Intent } from '../../../main/ipc-contract/intents';
import type { SessionView } from '../../../main/ipc-contract/view';
import { LanguageSwitch } from '../components/LanguageSwitch';

const SERVICES = ['withdrawal', 'deposit', 'transfer', 'balance', 'receipts'] as const;

export function Welcome({ view, send }: { view: SessionView; send: (intent: Intent) => void }): React.JSX.Element {
  const { t } = useTranslation();
  const { elderly, highContrast } = view.accessibility;
  return (
    <main className="screen screen-welcome">
      <h1>{t('welcome.title')}</h1>
      <p className="prompt">{t('welcome.prompt')}</p>
      <section className="services" aria-labelledby="services-title">
        <h2 id="services-title">{t('welcome.services')}</h2>
        <ul>
          {SERVICES.map((service) => {
            const available = view.availability[service];
            return (
              <li key={service} data-service={service} data-available={available} className={available ? 'on' : 'off'}>
                <span>{t(`service.${service}`)}</span>
                <span className="service-state">{t(available ? 'service.available' : 'service.unavailable')}</span>
              </li>
            );
          })}
        </ul>
      </section>
      <div className="welcome-controls">
        <LanguageSwitch current={view.language} send={send} />
        <button
          type="button"
          className="toggle"
          aria-pressed={elderly}
          onClick={() => send({ type: 'ui.accessibilityChanged', elderly: !elderly, highContrast })}
        >
          {t('accessibility.elderly')}
        </button>
        <button
          type="button"
          className="toggle"
          aria-pressed={highContrast}
          onClick={() => send({ type: 'ui.accessibilityChanged', elderly, highContrast: !highContrast })}
        >
          {t('accessibility.highContrast')}
        </button>
      </div>
    </main>
  );
}
