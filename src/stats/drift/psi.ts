import { StatsInputError } from '../table.js';
import { checkCount } from './count-validation.js';
import { sortedPresentValues, presentValues } from './finite-sample.js';
import { countIntoCutBins, quantileCutPoints } from './quantile.js';

export const PSI_DEFAULT_BINS = 10;
export const PSI_DEFAULT_EPSILON = 1e-4;

export interface PsiResult {
  readonly statistic: number;
  /** Interior cut points (reference quantiles); bin i is (cut[i-1], cut[i]]. */
  readonly cutPoints: readonly number[];
  readonly referenceCounts: readonly number[];
  readonly currentCounts: readonly number[];
}

/**
 * PSI from per-bin counts: Σ (cᵢ − rᵢ)·ln(cᵢ / rᵢ) over bin shares, where a share
 * below `epsilon` is raised to `epsilon` so empty bins give a large finite term
 * instead of an infinite one.
 */
export function psiFromCounts(
  referenceCounts: readonly number[],
  currentCounts: readonly number[],
  epsilon = PSI_DEFAULT_EPSILON,
): number {
  if (referenceCounts.length !== currentCounts.length) {
    throw new StatsInputError(
      `populationStabilityIndex: mismatched bin counts ${referenceCounts.length} and ${currentCounts.length}`,
    );
  }
  if (!(epsilon > 0 && epsilon < 1))
    throw new StatsInputError(`populationStabilityIndex: epsilon must be in (0, 1), got ${epsilon}`);
  const nRef = referenceCounts.reduce((s, c, i) => s + checkCount(c, `psi reference bin ${i}`), 0);
  const nCur = currentCounts.reduce((s, c, i) => s + checkCount(c, `psi current bin ${i}`), 0);
  if (nRef === 0 || nCur === 0) throw new StatsInputError('populationStabilityIndex: a sample has no observations');
  let psi = 0;
  for (let i = 0; i < referenceCounts.length; i++) {
    const r = Math.max(referenceCounts[i]! / nRef, epsilon);
    const c = Math.max(currentCounts[i]! / nCur, epsilon);
    psi += (c - r) * Math.log(c / r);
  }
  return psi;
}

/**
 * Population Stability Index of `current` against `reference` on `bins` (default 10)
 * reference-quantile bins (numpy linear quantiles; bin i is (qᵢ₋₁, qᵢ], open-ended at
 * both ends so current values outside the reference range still count), with epsilon
 * smoothing of empty bins. Rule of thumb: < 0.1 stable, 0.1–0.25 moderate, > 0.25 shift.
 */
export function populationStabilityIndex(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  options: { bins?: number; epsilon?: number } = {},
): PsiResult {
  const bins = options.bins ?? PSI_DEFAULT_BINS;
  if (!Number.isInteger(bins) || bins < 2)
    throw new StatsInputError(`populationStabilityIndex: bins must be an integer ≥ 2, got ${bins}`);
  const sortedRef = sortedPresentValues(reference, 'populationStabilityIndex reference');
  const cur = presentValues(current, 'populationStabilityIndex current');
  const cutPoints = quantileCutPoints(sortedRef, bins);
  const referenceCounts = countIntoCutBins(sortedRef, cutPoints);
  const currentCounts = countIntoCutBins(cur, cutPoints);
  return {
    statistic: psiFromCounts(referenceCounts, currentCounts, options.epsilon),
    cutPoints,
    referenceCounts,
    currentCounts,
  };
}
