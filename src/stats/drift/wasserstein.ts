import { sortedPresentValues } from './finite-sample.js';

/** Evidently's floor on the normalising std, so a constant reference does not divide by 0. */
export const WASSERSTEIN_MIN_NORM = 0.001;

/** W₁ = ∫|F_a − F_b| dx between two ascending samples (empirical CDFs), compensated sum. */
export function wasserstein1Sorted(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let sum = 0;
  let comp = 0;
  let prev = Math.min(a[0]!, b[0]!);
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    const term = Math.abs(i / n1 - j / n2) * (v - prev);
    // Neumaier summation: long sums of small pieces otherwise lose ~1e-13.
    const t = sum + term;
    comp += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
    while (i < n1 && a[i]! <= v) i++;
    while (j < n2 && b[j]! <= v) j++;
    prev = v;
  }
  return sum + comp;
}

/** Population standard deviation (ddof 0, numpy's default) of an ascending or any sample. */
export function populationStd(values: Float64Array): number {
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i]!;
  mean /= values.length;
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += (values[i]! - mean) ** 2;
  return Math.sqrt(ss / values.length);
}

/**
 * Wasserstein-1 (earth mover's) distance between two samples, as
 * scipy.stats.wasserstein_distance. NaN is skipped as missing; ±Infinity or an empty
 * sample throws StatsInputError.
 */
export function wasserstein1(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return wasserstein1Sorted(
    sortedPresentValues(a, 'wasserstein1 reference'),
    sortedPresentValues(b, 'wasserstein1 current'),
  );
}

/**
 * W₁ divided by the reference's population std (floored at 0.001), Evidently's
 * "normed Wasserstein": unit-free, so one threshold (0.1 = a shift of a tenth of a
 * standard deviation) fits every numeric column.
 */
export function wasserstein1Normed(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  const ref = sortedPresentValues(reference, 'wasserstein1Normed reference');
  const cur = sortedPresentValues(current, 'wasserstein1Normed current');
  return wasserstein1Sorted(ref, cur) / Math.max(populationStd(ref), WASSERSTEIN_MIN_NORM);
}
