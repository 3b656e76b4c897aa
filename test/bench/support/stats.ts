/**
 * The value at quantile `q` (0..1) of `values`: the sorted sample at index
 * floor(q·n), capped at the last. Every bench reports its p50/p99 this way.
 */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);
