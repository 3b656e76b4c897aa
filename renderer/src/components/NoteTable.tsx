import { useTranslation } from 'react-i18next';
import type { NoteCount } from '../../../main/ipc-contract/view.js';
import type { Labels } from './use-labels.js';

/** Notes by denomination with subtotals and the total, as counted by the acceptor. */
export function NoteTable({ notes, labels }: { notes: readonly NoteCount[]; labels: Labels }): React.JSX.Element {
  const { t } = useTranslation();
  const total = notes.reduce((sum, n) => sum + n.valueMinor * n.count, 0);
  return (
    <table className="notes">
      <thead>
        <tr>
          <th scope="col">{t('notes.denomination')}</th>
          <th scope="col">{t('notes.quantity')}</th>
          <th scope="col">{t('notes.subtotal')}</th>
        </tr>
      </thead>
      <tbody>
        {notes.map((n) => (
          <tr key={n.valueMinor}>
            <td>{labels.money(n.valueMinor)}</td>
            <td>{n.count}</td>
            <td>{labels.money(n.valueMinor * n.count)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={2}>
            {t('notes.total')}
          </th>
          <td className="total">{labels.money(total)}</td>
        </tr>
      </tfoot>
    </table>
  );
}
