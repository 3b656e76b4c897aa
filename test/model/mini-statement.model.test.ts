import { describe, expect, it } from 'vitest';
import {
  miniStatementMachine,
  type MiniStatementContext,
} from '../../state-machines/transactions/mini-statement.machine.js';
import type { TransactionResult } from '../../state-machines/session/types.js';
import { INQUIRY_INPUT, atRoot, inquiryEvents, itReachesEverything, modelOf } from './model-kit.js';

const line = { date: '2025-03-01', description: 'statement.deposit', amountMinor: 500_000 };
const events = inquiryEvents({
  id: 'miniStatement',
  ask: 'fetchStatement',
  print: 'printStatement',
  answer: (action) => ({ action, responseCode: '00', lines: action === 'approve' ? [line] : [] }),
  sessionAction: 'captureCard',
});

type Snap = { value: unknown; context: MiniStatementContext; status: string; output?: TransactionResult };

const serializeState = (s: Snap) =>
  JSON.stringify([s.value, s.context.lines.length, s.context.message, s.context.outcome]);

describe('mini-statement machine, model-based', () => {
  const model = modelOf(atRoot(miniStatementMachine), { events, input: INQUIRY_INPUT, serializeState });
  itReachesEverything(model);

  it('completes only with the lines the host approved', () => {
    expect(model.ends.length).toBeGreaterThan(0);
    for (const s of model.ends) {
      if (s.output?.outcome === 'completed') expect(s.context.lines).toEqual([line]);
      else expect(s.context.lines).toEqual([]);
    }
  });
});
