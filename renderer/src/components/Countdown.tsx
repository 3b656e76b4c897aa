import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Seconds left before the kiosk acts by itself (keeps the card, takes the cash
 * back). The runtime's watchdog decides; this only shows the time, restarting
 * whenever a new view (`restartKey`) arrives.
 */
export function Countdown({ seconds, restartKey }: { seconds: number; restartKey: number }): React.JSX.Element {
  const { t } = useTranslation();
  const [left, setLeft] = useState({ key: restartKey, value: seconds });
  const current = left.key === restartKey ? left.value : seconds;
  useEffect(() => {
    const timer = window.setInterval(() => {
      setLeft((prev) => ({ key: restartKey, value: Math.max(0, (prev.key === restartKey ? prev.value : seconds) - 1) }));
    }, 1000);
    return () => window.clearInterval(timer);
  }, [restartKey, seconds]);
  return (
    <div className="countdown" role="timer" aria-live="off">
      <progress max={seconds} value={current} aria-label={t('countdown.label')} />
      <span className="countdown-text">{t('countdown.left', { seconds: current })}</span>
    </div>
  );
}
