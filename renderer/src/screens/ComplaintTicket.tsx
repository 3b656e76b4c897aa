import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../components/ActionButtons.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import { useLabels } from '../components/use-labels.js';
import type { ScreenProps } from './types.js';

export function ComplaintTicket({ view, actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const labels = useLabels(view);
  return (
    <ScreenFrame screen="complaintTicket" title={t('complaintTicket.title')} prompt={t('complaintTicket.prompt')}>
      {view.data.ticketNumber && (
        <p className="ticket">
          <span className="amount-label">{t('complaintTicket.number')}</span>
          <span className="ticket-number" data-ticket={view.data.ticketNumber}>
            {view.data.ticketNumber}
          </span>
        </p>
      )}
      <p className="hints">{t('complaintTicket.followUp')}</p>
      <ActionButtons actions={actions} send={send} label={labels.action} primary="confirm" />
    </ScreenFrame>
  );
}
