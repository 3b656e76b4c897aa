import type { SessionView } from '../../../main/ipc-contract/view.js';
import { useLabels } from './use-labels.js';

/** The transaction amount, large, with what it is. */
export function AmountLine({ view, label }: { view: SessionView; label: string }): React.JSX.Element | null {
  const labels = useLabels(view);
  if (view.data.amountMinor === undefined) return null;
  return (
    <p className="amount-line">
      <span className="amount-label">{label}</span>
      <span className="amount-value" data-amount={view.data.amountMinor}>
        {labels.money(view.data.amountMinor)}
      </span>
    </p>
  );
}
