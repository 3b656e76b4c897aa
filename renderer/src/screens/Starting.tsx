import { useTranslation } from 'react-i18next';

export function Starting(): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <main className="screen screen-starting" aria-busy="true">
      <h1>{t('starting.title')}</h1>
      <p className="prompt">{t('starting.body')}</p>
    </main>
  );
}
