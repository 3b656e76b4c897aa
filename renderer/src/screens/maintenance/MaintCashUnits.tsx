import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../../components/ActionButtons.js';
import { ScreenFrame } from '../../components/ScreenFrame.js';
import { useLabels } from '../../components/use-labels.js';
import type { ScreenProps } from '../types.js';
import { CashUnitTable } from './CashUnitTable.js';
import { OperatorLine } from './OperatorLine.js';

/** Per cassette: currency and denomination, notes counted in it, dispensed and rejected since the last exchange. */
export function MaintCashUnits({ view, actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const labels = useLabels(view);
  return (
    <ScreenFrame screen="maintCashUnits" title={t('maintCashUnits.title')}>
      <OperatorLine view={view} />
      <CashUnitTable view={view} units={view.data.cashUnits ?? []} />
      <ActionButtons actions={actions} send={send} label={labels.action} primary="confirm" />
    </ScreenFrame>
  );
}
