import { StatsInputError } from '../table.js';

/** Category → count, as a Map or a plain object (a profile after JSON). */
export type CategoryCounts = ReadonlyMap<string, number> | Readonly<Record<string, number>>;

export function countEntries(counts: CategoryCounts): Array<[string, number]> {
  return counts instanceof Map ? [...counts.entries()] : Object.entries(counts);
}

/** A count must be a finite, non-negative integer: anything else is a caller bug. */
export function checkCount(value: unknown, label: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new StatsInputError(`${label}: counts must be non-negative integers, got ${String(value)}`);
  }
  return value;
}

/** A weight vector for a distance: same length, finite, non-negative, positive total. */
export function checkWeights(p: ArrayLike<number>, q: ArrayLike<number>, label: string): void {
  if (p.length !== q.length) throw new StatsInputError(`${label}: mismatched lengths ${p.length} and ${q.length}`);
  if (p.length === 0) throw new StatsInputError(`${label}: empty distributions`);
  for (const [name, v] of [
    ['first', p],
    ['second', q],
  ] as const) {
    let sum = 0;
    for (let i = 0; i < v.length; i++) {
      const x = v[i]!;
      if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) {
        throw new StatsInputError(`${label}: ${name} distribution has an invalid weight ${String(x)} at index ${i}`);
      }
      sum += x;
    }
    if (sum === 0) throw new StatsInputError(`${label}: ${name} distribution sums to zero`);
  }
}
