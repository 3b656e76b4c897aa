import { useTranslation } from 'react-i18next';
import { amountHints } from '../components/amount-hints.js';
import { EntryPanel } from '../components/EntryPanel.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import { useLabels } from '../components/use-labels.js';
import type { ScreenProps } from './types.js';

/**
 * An amount on the keypad, in whole units: "other amount" for a withdrawal
 * (`amountEntry`) and the transfer amount (`transferAmount`). The runtime
 * checks the multiple and the limit.
 */
export function AmountEntry(props: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const labels = useLabels(props.view);
  const transfer = props.view.screen === 'transferAmount';
  return (
    <ScreenFrame
      screen={props.view.screen}
      title={transfer ? t('transferAmount.title') : t('amountEntry.title')}
      prompt={transfer ? t('transferAmount.prompt') : t('amountEntry.prompt')}
    >
      <EntryPanel {...props} kind="amount" label={t('amountEntry.label')} hints={amountHints(props.view.data, t, labels.money)} />
    </ScreenFrame>
  );
}
