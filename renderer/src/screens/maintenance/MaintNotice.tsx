import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../../components/ActionButtons.js';
import { ScreenFrame } from '../../components/ScreenFrame.js';
import { useLabels } from '../../components/use-labels.js';
import type { ScreenProps } from '../types.js';
import { CashUnitTable } from './CashUnitTable.js';
import { OperatorLine } from './OperatorLine.js';

/** How a step ended (replenished, printed, refused, failed); after a replenishment, the new counts. */
export function MaintNotice({ view, actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const labels = useLabels(view);
  const message = view.data.message ?? 'maint.failed';
  return (
    <ScreenFrame screen="maintNotice" title={t('maintNotice.title')}>
      <OperatorLine view={view} />
      <p className="notice-line" role="status" data-message={message}>
        {t(message, { defaultValue: t('maint.failed') })}
      </p>
      {view.data.cashUnits && <CashUnitTable view={view} units={view.data.cashUnits} columns={['count']} />}
      <ActionButtons actions={actions} send={send} label={labels.action} primary="confirm" />
    </ScreenFrame>
  );
}
