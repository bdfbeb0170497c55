import type { CategoryCounts } from './count-validation.js';
import { pairCounts } from './paired-counts.js';
import { chiSquareSf } from './special-functions.js';

export interface ChiSquareResult {
  readonly statistic: number;
  readonly pValue: number;
  readonly degreesOfFreedom: number;
  /** Categories compared (union of both sides, those with a zero total dropped). */
  readonly categories: readonly string[];
}

/**
 * Pearson chi-square test of homogeneity on the 2×k table reference-vs-current counts
 * (scipy.stats.chi2_contingency with correction=False). Categories seen on only one
 * side are kept — an unseen category in the current window is exactly the drift we want
 * to see — and a category with zero count on both sides carries no information and is
 * dropped. With fewer than two categories the samples cannot differ: statistic 0, p 1.
 *
 * Note: Evidently's "chisquare" is a goodness-of-fit test of the current counts against
 * the reference proportions, which is undefined for unseen categories; homogeneity treats
 * both samples as random and handles them.
 */
export function chiSquareHomogeneity(reference: CategoryCounts, current: CategoryCounts): ChiSquareResult {
  const { ref, cur, categories, nRef, nCur } = pairCounts(reference, current, 'chiSquareHomogeneity');
  const df = categories.length - 1;
  if (df === 0) return { statistic: 0, pValue: 1, degreesOfFreedom: 0, categories };
  const total = nRef + nCur;
  let statistic = 0;
  for (const k of categories) {
    const colTotal = (ref.get(k) ?? 0) + (cur.get(k) ?? 0);
    for (const [observed, rowTotal] of [
      [ref.get(k) ?? 0, nRef],
      [cur.get(k) ?? 0, nCur],
    ] as const) {
      const expected = (rowTotal * colTotal) / total;
      statistic += (observed - expected) ** 2 / expected;
    }
  }
  return { statistic, pValue: chiSquareSf(statistic, df), degreesOfFreedom: df, categories };
}
