import { useTranslation } from 'react-i18next';

/** A calm, indeterminate progress bar: a slow sweep, still when the customer prefers reduced motion. */
export function Progress(): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <div className="progress" role="progressbar" aria-label={t('pleaseWait.progress')}>
      <span className="progress-sweep" />
    </div>
  );
}
