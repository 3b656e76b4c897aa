import { useTranslation } from 'react-i18next';

/** Where to type the PIN, and the habit that protects it. */
export function PinPadHint(): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <ul className="hints">
      <li>{t('pin.usePinPad')}</li>
      <li>{t('pin.shield')}</li>
    </ul>
  );
}
