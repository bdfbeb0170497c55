import { StatsInputError } from '../table.js';

/**
 * Input checks shared by every metric. They copy into typed arrays so the numeric code
 * after them can trust its input: no NaN, right length, labels exactly 0/1.
 */

/** Throws unless every array has the same, non-zero length; returns that length. */
export function checkSameLength(what: string, arrays: Record<string, ArrayLike<unknown>>): number {
  const entries = Object.entries(arrays);
  const first = entries[0];
  if (first === undefined) throw new StatsInputError(`${what}: no input arrays`);
  const n = first[1].length;
  for (const [name, values] of entries) {
    if (values.length !== n) {
      const sizes = entries.map(([k, v]) => `${k}=${v.length}`).join(', ');
      throw new StatsInputError(`${what}: inputs must have the same length, got ${sizes} (check ${name})`);
    }
  }
  if (n === 0) throw new StatsInputError(`${what}: empty input, need at least one row`);
  return n;
}

/** Binary labels or hard predictions: each value must be exactly 0 or 1. */
export function toLabels(
  what: string,
  name: string,
  values: ArrayLike<number>,
  kind: 'labels' | 'predictions' = 'labels',
): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === 1) out[i] = 1;
    else if (v !== 0) {
      const hint =
        kind === 'labels'
          ? 'labels must be 0 or 1'
          : 'predictions must be hard 0/1 classes (apply the threshold first)';
      throw new StatsInputError(`${what}: ${name}[${i}] = ${String(v)}; ${hint}`);
    }
  }
  return out;
}

/** Probabilities: finite numbers in [0, 1]. */
export function toProbabilities(what: string, name: string, values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      throw new StatsInputError(
        `${what}: ${name}[${i}] = ${String(v)}; probabilities must be finite numbers in [0, 1]`,
      );
    }
    out[i] = v;
  }
  return out;
}

/** Scores or regression values: any finite number. */
export function toFinite(what: string, name: string, values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new StatsInputError(`${what}: ${name}[${i}] = ${String(v)}; values must be finite numbers`);
    }
    out[i] = v;
  }
  return out;
}
