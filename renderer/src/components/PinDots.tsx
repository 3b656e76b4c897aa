import { useTranslation } from 'react-i18next';

const SLOTS = 6;

/** One dot per digit typed on the PIN pad; the digits themselves never reach the renderer. */
export function PinDots({ digits }: { digits: number }): React.JSX.Element {
  const { t } = useTranslation();
  const slots = Math.max(SLOTS, digits);
  return (
    <div className="pin-dots" role="img" aria-label={t('pin.entered', { digits })} data-digits={digits}>
      {Array.from({ length: slots }, (_, i) => (
        <span key={i} className={i < digits ? 'dot filled' : 'dot'} />
      ))}
    </div>
  );
}
