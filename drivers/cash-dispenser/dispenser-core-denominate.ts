import { DeviceError } from '../common/completion.js';
import type { CashUnit } from '../storage/contract.js';
import type { CashDispenserErrorCode, DenominateRequest, Denomination, MixType } from './contract.js';
import { mix, type MixPolicy } from './denominate.js';

export const MIX_TYPES: readonly (MixType & { readonly algorithm: MixPolicy })[] = [
  { mixNumber: 1, algorithm: 'minimumBills', name: 'Minimum number of notes' },
  { mixNumber: 2, algorithm: 'equalEmptying', name: 'Equal emptying of cassettes' },
];

export function refuse(errorCode: CashDispenserErrorCode, description: string): never {
  throw new DeviceError<CashDispenserErrorCode>('commandErrorCode', description, errorCode);
}

/**
 * Splits a request over the payout units the device can use now (present,
 * `ok`, with notes), by a mix or by the application's own counts.
 */
export function denominate(request: DenominateRequest, units: readonly CashUnit[], maxItems: number): Denomination {
  const payout = units.filter((u) => u.configuration.types.includes('cashOut') && u.status === 'ok' && u.configuration.value > 0);
  if ('mixNumber' in request) {
    const mixType = MIX_TYPES.find((m) => m.mixNumber === request.mixNumber);
    if (!mixType) refuse('invalidMixNumber', `no mix ${request.mixNumber}`);
    const candidates = payout.filter((u) => u.configuration.currency === request.amount.currency);
    if (candidates.length === 0) refuse('invalidCurrency', `no units for ${request.amount.currency}`);
    const outcome = mix(
      request.amount.amount,
      candidates.map((u) => ({ id: u.id, value: u.configuration.value, count: u.count })),
      mixType.algorithm,
      maxItems,
    );
    if (!outcome.ok) refuse(outcome.reason === 'invalidAmount' ? 'invalidDenomination' : outcome.reason, `cannot pay ${request.amount.amount}`);
    return { amount: request.amount, counts: outcome.counts };
  }
  const entries = Object.entries(request.counts).filter(([, n]) => n !== 0);
  const chosen = entries.map(([id, n]) => {
    const unit = payout.find((u) => u.id === id);
    if (!unit || !Number.isInteger(n) || n < 0) refuse('invalidDenomination', `bad count for unit ${id}`);
    if (n > unit.count) refuse('notDispensable', `unit ${id} has ${unit.count} notes`);
    return unit;
  });
  const currencies = new Set(chosen.map((u) => u.configuration.currency));
  const [currency] = currencies;
  if (currency === undefined || currencies.size > 1) refuse('invalidDenomination', 'one currency per dispense');
  if (entries.reduce((s, [, n]) => s + n, 0) > maxItems) refuse('tooManyItems', 'too many notes');
  const amount = chosen.reduce((s, u) => s + u.configuration.value * (request.counts[u.id] ?? 0), 0);
  if (request.amount && (request.amount.amount !== amount || request.amount.currency !== currency)) {
    refuse('invalidDenomination', 'amount does not match the counts');
  }
  return { amount: { currency, amount }, counts: Object.fromEntries(entries) };
}
