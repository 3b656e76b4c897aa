import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../../components/ActionButtons.js';
import { ScreenFrame } from '../../components/ScreenFrame.js';
import { useLabels } from '../../components/use-labels.js';
import type { ScreenProps } from '../types.js';
import { CashUnitTable } from './CashUnitTable.js';
import { OperatorLine } from './OperatorLine.js';

/** Counted before and after, side by side; nothing changes until the technician confirms. */
export function MaintReplenishConfirm({ view, actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const labels = useLabels(view);
  const entered = view.data.enteredCounts ?? [];
  return (
    <ScreenFrame
      screen="maintReplenishConfirm"
      title={t('maintReplenishConfirm.title')}
      prompt={t('maintReplenishConfirm.prompt')}
    >
      <OperatorLine view={view} />
      <CashUnitTable
        view={view}
        units={view.data.cashUnits ?? []}
        columns={['count']}
        extra={{
          heading: t('maintReplenish.newCount'),
          cell: (_unit, i) => <strong className="new-count">{entered[i]}</strong>,
        }}
      />
      <ActionButtons actions={actions} send={send} label={labels.action} primary="confirm" />
    </ScreenFrame>
  );
}
