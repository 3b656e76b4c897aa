import { describe, expect, it } from 'vitest';
import { balanceMachine, type BalanceContext } from '../../state-machines/transactions/balance.machine.js';
import type { HostResult, TransactionResult } from '../../state-machines/session/types.js';
import { INQUIRY_INPUT, atRoot, inquiryEvents, itReachesEverything, modelOf } from './model-kit.js';

const events = inquiryEvents({
  id: 'balance',
  ask: 'authorize',
  print: 'printBalance',
  answer: (action): HostResult => ({
    action,
    responseCode: '00',
    ...(action === 'approve' ? { availableBalanceMinor: 123_400, ledgerBalanceMinor: 150_000 } : {}),
  }),
  sessionAction: 'wrongPin',
});

type Snap = { value: unknown; context: BalanceContext; status: string; output?: TransactionResult };

const serializeState = (s: Snap) =>
  JSON.stringify([s.value, s.context.result?.action, s.context.message, s.context.outcome]);

describe('balance machine, model-based', () => {
  const model = modelOf(atRoot(balanceMachine), { events, input: INQUIRY_INPUT, serializeState });
  itReachesEverything(model);

  it('completes only after the host approved, and shows a balance only then', () => {
    expect(model.ends.length).toBeGreaterThan(0);
    for (const end of model.ends) {
      if (end.output?.outcome === 'completed') expect(end.context.result?.action).toBe('approve');
      else expect(end.output?.outcome).not.toBe('completed');
    }
  });
});
