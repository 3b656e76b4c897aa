import { createHmac } from 'node:crypto';
import { ManualClock } from '../../../../drivers/common/clock.js';
import type { HmacSha256 } from '../../../../drivers/cash-dispenser/token.js';
import type { Banknote, CashUnitConfiguration } from '../../../../drivers/storage/contract.js';
import { MemoryStorage } from '../../../../drivers/storage/memory.js';
import type { MemoryCashUnitSetup } from '../../../../drivers/storage/memory.js';

/** Shared by the cash device tests: CNY cassettes with serial-numbered notes. */

export const signal = new AbortController().signal;

export const hmacSha256: HmacSha256 = (key, message) => createHmac('sha256', key).update(message).digest();

/** `count` CNY notes of `value` fen, serials PREFIX00000001… */
export function cny(value: number, count: number, prefix: string): Banknote[] {
  return Array.from({ length: count }, (_, i) => ({
    currency: 'CNY',
    value,
    serialNumber: `${prefix}${String(i + 1).padStart(8, '0')}`,
  }));
}

export function cassette(
  id: string,
  value: number,
  count: number,
  configuration: Partial<CashUnitConfiguration> = {},
): MemoryCashUnitSetup {
  return {
    id,
    position: `cassette-${id}`,
    configuration: { types: ['cashOut'], currency: 'CNY', value, capacity: 2000, ...configuration },
    notes: cny(value, count, `${id.toUpperCase()}`),
  };
}

export function bin(id: string, types: CashUnitConfiguration['types'], capacity = 200): MemoryCashUnitSetup {
  return { id, position: id, configuration: { types, capacity } };
}

/** An online storage with 100/50/20-yuan cassettes, a reject bin and a retract bin. */
export async function dispenserStorage(
  clock = new ManualClock(),
  units: readonly MemoryCashUnitSetup[] = [
    cassette('unit1', 10000, 50),
    cassette('unit2', 5000, 50),
    cassette('unit3', 2000, 50),
    bin('reject', ['reject']),
    bin('retract', ['retract']),
  ],
): Promise<MemoryStorage> {
  const storage = new MemoryStorage({ clock, cash: units });
  await storage.open(signal);
  return storage;
}

/** Builds a host token by hand (not with token.ts, so a shared bug cannot pass). */
export function hostToken(nonce: string, dispense: string, key: Uint8Array, extra = ''): string {
  const body = `DISPENSE1=${dispense},${extra}`;
  const prefixLength = `NONCE=${nonce},TOKENFORMAT=1,TOKENLENGTH=0000,${body}HMACSHA256=`.length;
  const signed = `NONCE=${nonce},TOKENFORMAT=1,TOKENLENGTH=${String(prefixLength + 64).padStart(4, '0')},${body}HMACSHA256=`;
  return signed + createHmac('sha256', key).update(signed, 'ascii').digest('hex').toUpperCase();
}

/** Records every payload of the named events, in order. */
export function recorder<E extends object>(
  device: { on<K extends keyof E>(type: K, listener: (payload: E[K]) => void): unknown },
  types: readonly (keyof E)[],
): { type: keyof E; payload: unknown }[] {
  const seen: { type: keyof E; payload: unknown }[] = [];
  for (const type of types) device.on(type, (payload) => seen.push({ type, payload }));
  return seen;
}
