import { useTranslation } from 'react-i18next';
import type { CashUnitSummary, SessionView } from '../../../../main/ipc-contract/view.js';
import { formatMoney } from '../../format.js';

/**
 * The cash units as a table: cassettes and recycle units with their
 * denomination, the cashbox, the bins. `extra` adds the column a step needs
 * (the entered counts, an input per unit: the technician counts every one).
 */
export function CashUnitTable({
  view,
  units,
  columns = ['count', 'dispensed', 'rejected', 'fill'],
  extra,
}: {
  view: SessionView;
  units: readonly CashUnitSummary[];
  columns?: readonly ('count' | 'dispensed' | 'rejected' | 'fill')[];
  extra?: {
    readonly heading: string;
    readonly cell: (unit: CashUnitSummary, index: number) => React.ReactNode;
  };
}): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <table className="maint-table cash-units">
      <thead>
        <tr>
          <th scope="col">{t('maint.unit')}</th>
          <th scope="col">{t('maint.denomination')}</th>
          {columns.map((c) => (
            <th key={c} scope="col">
              {t(`maint.column.${c}`)}
            </th>
          ))}
          {extra && <th scope="col">{extra.heading}</th>}
        </tr>
      </thead>
      <tbody>
        {units.map((unit, index) => (
          <tr key={unit.unitId} data-unit={unit.unitId} data-count={unit.count}>
            <th scope="row">
              {unit.role === 'cassette'
                ? unit.unitId
                : t(unit.role === 'cashbox' ? 'maint.cashbox' : 'maint.rejectBin')}
            </th>
            <td>{unit.role === 'cassette' ? formatMoney(unit.valueMinor, unit.currency, view.language) : '—'}</td>
            {columns.map((c) => (
              <td key={c}>{c === 'fill' ? t(`maint.fill.${unit.fill}`, { defaultValue: unit.fill }) : unit[c]}</td>
            ))}
            {extra && <td>{extra.cell(unit, index)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
