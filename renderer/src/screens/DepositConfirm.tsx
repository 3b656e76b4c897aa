import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../components/ActionButtons.js';
import { Message } from '../components/Message.js';
import { NoteTable } from '../components/NoteTable.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import { useLabels } from '../components/use-labels.js';
import type { ScreenProps } from './types.js';

/** The counted notes and their total; the customer deposits them, adds more, or cancels to get them back. */
export function DepositConfirm({ view, actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const labels = useLabels(view);
  const rejected = view.data.rejectedNotes ?? 0;
  return (
    <ScreenFrame screen="depositConfirm" title={t('depositConfirm.title')} prompt={t('depositConfirm.prompt')}>
      <NoteTable notes={view.data.notes ?? []} labels={labels} />
      {rejected > 0 && <p className="warning">{t('depositConfirm.rejected', { n: rejected })}</p>}
      {/* The runtime says here that suspect notes were kept (deposit.suspectRetained). */}
      <Message message={view.data.message} />
      <ActionButtons actions={actions} send={send} label={labels.action} primary="confirm" />
    </ScreenFrame>
  );
}
