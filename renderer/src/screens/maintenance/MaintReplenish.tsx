import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Message } from '../../components/Message.js';
import { ScreenFrame } from '../../components/ScreenFrame.js';
import type { ScreenProps } from '../types.js';
import { CashUnitTable } from './CashUnitTable.js';
import { OperatorLine } from './OperatorLine.js';

/**
 * The exchange is open: the technician types the notes now in each cassette,
 * recycle unit, cashbox and reject bin (0 once emptied).
 * The browser checks each is a whole number within the limit; the runtime
 * checks again and decides.
 */
export function MaintReplenish({ view, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const units = view.data.cashUnits ?? [];
  const [entries, setEntries] = useState<readonly string[]>(() => Array.from({ length: units.length }, () => ''));
  const max = view.data.maxCount ?? 3000;
  const submit = (event: React.FormEvent): void => {
    event.preventDefault();
    send({ type: 'maint.countsEntered', counts: entries.map(Number) });
  };
  return (
    <ScreenFrame screen="maintReplenish" title={t('maintReplenish.title')} prompt={t('maintReplenish.prompt', { max })}>
      <OperatorLine view={view} />
      <form className="maint-form replenish" onSubmit={submit}>
        <CashUnitTable
          view={view}
          units={units}
          columns={['count']}
          extra={{
            heading: t('maintReplenish.newCount'),
            cell: (unit, i) => (
              <input
                className="count-input"
                type="number"
                inputMode="numeric"
                min={0}
                max={max}
                step={1}
                required
                aria-label={t('maintReplenish.countFor', { unit: unit.unitId })}
                data-unit={unit.unitId}
                value={entries[i] ?? ''}
                onChange={(e) => setEntries(entries.map((v, j) => (j === i ? e.target.value : v)))}
              />
            ),
          }}
        />
        <button type="submit" className="choice primary" data-action="next">
          {t('maintReplenish.next')}
        </button>
      </form>
      <Message message={view.data.message} />
    </ScreenFrame>
  );
}
