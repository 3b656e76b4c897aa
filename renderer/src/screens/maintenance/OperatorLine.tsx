import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../../../main/ipc-contract/view.js';

/** Who is signed in, on every supervisor screen: the journal names the same id. */
export function OperatorLine({ view }: { view: SessionView }): React.JSX.Element | null {
  const { t } = useTranslation();
  if (view.data.operatorId === undefined) return null;
  return (
    <p className="maint-operator" data-operator={view.data.operatorId}>
      {t('maint.operator', { id: view.data.operatorId })}
    </p>
  );
}
