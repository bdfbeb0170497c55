import { StatsInputError } from '../table.js';

/**
 * The missing-value policy of every drift test, in one place: NaN means "missing" and
 * is skipped (the Table convention); ±Infinity is not a measurement, so it is an error
 * rather than silently moving a distance or a KS statistic; an empty sample (after
 * dropping missing values) cannot be compared and is an error too.
 */
export function presentValues(values: ArrayLike<number>, label: string): Float64Array {
  const out = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number')
      throw new StatsInputError(`${label}: value at index ${i} is not a number (${String(v)})`);
    if (v !== v) continue;
    if (v === Infinity || v === -Infinity)
      throw new StatsInputError(
        `${label}: value at index ${i} is ${v}; only finite numbers or NaN (missing) are allowed`,
      );
    out[n++] = v;
  }
  if (n === 0) throw new StatsInputError(`${label}: no non-missing values to compare`);
  return n === out.length ? out : out.slice(0, n);
}

/** `presentValues`, then sorted ascending (a typed-array sort: numeric, not lexicographic). */
export function sortedPresentValues(values: ArrayLike<number>, label: string): Float64Array {
  const out = presentValues(values, label);
  // presentValues may return the caller's own data only as a copy, so sorting is safe.
  return out.sort();
}
