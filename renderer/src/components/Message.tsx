import { useTranslation } from 'react-i18next';

/** A catalogue message the runtime attached to the screen (a refusal, a hint), read out when it appears. */
export function Message({ message }: { message: string | undefined }): React.JSX.Element | null {
  const { t } = useTranslation();
  if (!message) return null;
  return (
    <p className="message" role="alert" data-message={message}>
      {t(message, { defaultValue: t('notice.generic') })}
    </p>
  );
}
