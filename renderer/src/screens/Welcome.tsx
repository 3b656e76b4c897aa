import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../components/ActionButtons.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import type { ScreenProps } from './types.js';

const SERVICES = ['withdrawal', 'deposit', 'transfer', 'balance', 'receipts'] as const;

/** The attract screen: what the kiosk can do right now, language and accessibility switches. */
export function Welcome({ view, actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const { elderly, highContrast } = view.accessibility;
  const pressed = (id: string): boolean =>
    id === 'accessibility.elderly' ? elderly : id === 'accessibility.highContrast' ? highContrast : id === `language.${view.language}`;
  return (
    <ScreenFrame screen="welcome" title={t('welcome.title')} prompt={t('welcome.prompt')}>
      <section className="services" aria-labelledby="services-title">
        <h2 id="services-title">{t('welcome.services')}</h2>
        <ul>
          {SERVICES.map((service) => {
            const available = view.availability[service];
            return (
              <li key={service} data-service={service} data-available={available} className={available ? 'on' : 'off'}>
                <span>{t(`service.${service}`)}</span>
                <span className="service-state">{available ? t('service.available') : t('service.unavailable')}</span>
              </li>
            );
          })}
        </ul>
      </section>
      {!elderly && <p className="promotion">{t('welcome.promotion')}</p>}
      <nav aria-label={t('welcome.settings')}>
        <ActionButtons
          actions={actions}
          send={send}
          className="welcome-controls"
         
          pressed={(a) => pressed(a.id)}
        />
      </nav>
    </ScreenFrame>
  );
}
