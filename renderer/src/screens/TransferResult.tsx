import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../components/ActionButtons.js';
import { AmountLine } from '../components/AmountLine.js';
import { Message } from '../components/Message.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import { useLabels } from '../components/use-labels.js';
import type { ScreenProps } from './types.js';

/**
 * The transfer went through: credited now (`transfer.completed`) or after the
 * notice period (`transfer.pending`), when `transfer.revoke` may still undo it.
 */
export function TransferResult({ view, actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const labels = useLabels(view);
  const pending = view.options.includes('transfer.revoke');
  return (
    <ScreenFrame
      screen="transferResult"
      title={pending ? t('transferResult.pendingTitle') : t('transferResult.title')}
      prompt={
        pending && view.data.creditDelayHours !== undefined
          ? t('transferResult.pending', { hours: view.data.creditDelayHours })
          : undefined
      }
    >
      <AmountLine view={view} label={t('transfer.amount')} />
      {view.data.payeeNameMasked && <p className="card-number">{t('transferResult.payee', { name: view.data.payeeNameMasked })}</p>}
      <Message message={view.data.message} />
      <ActionButtons actions={actions} send={send} label={labels.action} primary="confirm" />
    </ScreenFrame>
  );
}
