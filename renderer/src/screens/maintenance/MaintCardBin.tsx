import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../../components/ActionButtons.js';
import { Message } from '../../components/Message.js';
import { ScreenFrame } from '../../components/ScreenFrame.js';
import { useLabels } from '../../components/use-labels.js';
import type { ScreenProps } from '../types.js';
import { OperatorLine } from './OperatorLine.js';

/** Cards the reader retained; after emptying the bin the technician sets the count back to 0. */
export function MaintCardBin({ view, actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const labels = useLabels(view);
  const bin = view.data.cardBin;
  return (
    <ScreenFrame screen="maintCardBin" title={t('maintCardBin.title')} prompt={t('maintCardBin.prompt')}>
      <OperatorLine view={view} />
      {bin && (
        <dl className="figures">
          <div className="figure main-figure">
            <dt>{t('maintCardBin.count')}</dt>
            <dd data-count={bin.count}>{bin.count}</dd>
          </div>
          <div className="figure">
            <dt>{t('maintCardBin.threshold')}</dt>
            <dd>{bin.threshold}</dd>
          </div>
          <div className="figure">
            <dt>{t('maintCardBin.capacity')}</dt>
            <dd>{bin.capacity}</dd>
          </div>
        </dl>
      )}
      <Message message={view.data.message} />
      <ActionButtons actions={actions} send={send} label={labels.action} primary="confirm" />
    </ScreenFrame>
  );
}
