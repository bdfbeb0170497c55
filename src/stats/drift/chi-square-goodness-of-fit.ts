import type { ChiSquareResult } from './chi-square.js';
import type { CategoryCounts } from './count-validation.js';
import { pairCounts } from './paired-counts.js';
import { chiSquareSf } from './special-functions.js';

/**
 * Pearson goodness-of-fit of the current counts against the reference shares, as
 * Evidently 0.7's "chisquare" test: scipy.stats.chisquare(f_obs = current counts,
 * f_exp = reference counts · n_cur / n_ref) over the categories seen on either side.
 * Unlike the homogeneity test it treats the reference shares as exact, so it fires more
 * often on small references, and a category the reference never saw has an expected
 * count of 0: statistic ∞, p-value 0 (Evidently reports drift).
 */
export function chiSquareGoodnessOfFit(reference: CategoryCounts, current: CategoryCounts): ChiSquareResult {
  const { ref, cur, categories, nRef, nCur } = pairCounts(reference, current, 'chiSquareGoodnessOfFit');
  const df = categories.length - 1;
  if (df === 0) return { statistic: 0, pValue: 1, degreesOfFreedom: 0, categories };
  const scale = nCur / nRef;
  let statistic = 0;
  for (const k of categories) {
    const expected = (ref.get(k) ?? 0) * scale;
    const observed = cur.get(k) ?? 0;
    statistic += expected === 0 ? Infinity : (observed - expected) ** 2 / expected;
  }
  return { statistic, pValue: chiSquareSf(statistic, df), degreesOfFreedom: df, categories };
}
