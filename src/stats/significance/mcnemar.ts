import { checkSameLength, toLabels } from '../metrics/validate.js';
import { StatsInputError } from '../table.js';
import { chiSquare1Sf } from './normal.js';

export interface McNemarResult {
  /** Rows the champion got right and the challenger got wrong. */
  readonly b: number;
  /** Rows the champion got wrong and the challenger got right. */
  readonly c: number;
  /** min(b, c) for the exact test; (|b − c| − 1)² / (b + c) for the chi-square test. */
  readonly statistic: number;
  /** Two-sided p-value of "both models have the same accuracy". */
  readonly pValue: number;
  /** True when the exact binomial test was used. */
  readonly exact: boolean;
}

export interface McNemarOptions {
  /** Force the exact (true) or chi-square (false) test; default: exact when b + c < 25. */
  readonly exact?: boolean;
}

/** Discordant counts below this use the exact binomial test (the usual rule of thumb). */
export const MCNEMAR_EXACT_BELOW = 25;

/**
 * McNemar's test for two classifiers' hard 0/1 predictions on the same rows. Computes the
 * same statistic and p-value as statsmodels' `mcnemar(table, exact=…, correction=True)`:
 * exact two-sided binomial test when the discordant count b + c is below 25, otherwise
 * the continuity-corrected chi-square test with one degree of freedom.
 */
export function mcnemarTest(
  yTrue: ArrayLike<number>,
  championPred: ArrayLike<number>,
  challengerPred: ArrayLike<number>,
  options: McNemarOptions = {},
): McNemarResult {
  const what = 'mcnemarTest';
  const n = checkSameLength(what, { yTrue, championPred, challengerPred });
  const y = toLabels(what, 'yTrue', yTrue);
  const a = toLabels(what, 'championPred', championPred, 'predictions');
  const z = toLabels(what, 'challengerPred', challengerPred, 'predictions');
  let b = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const championRight = a[i] === y[i];
    const challengerRight = z[i] === y[i];
    if (championRight && !challengerRight) b++;
    else if (!championRight && challengerRight) c++;
  }
  return mcnemarFromCounts(b, c, options);
}

/** McNemar's test from the discordant counts b and c directly. */
export function mcnemarFromCounts(b: number, c: number, options: McNemarOptions = {}): McNemarResult {
  if (!Number.isSafeInteger(b) || !Number.isSafeInteger(c) || b < 0 || c < 0) {
    throw new StatsInputError(`mcnemarTest: discordant counts must be non-negative integers, got b=${b}, c=${c}`);
  }
  const discordant = b + c;
  const exact = options.exact ?? discordant < MCNEMAR_EXACT_BELOW;
  if (exact) {
    const statistic = Math.min(b, c);
    return { b, c, statistic, pValue: Math.min(1, 2 * binomialHalfCdf(statistic, discordant)), exact };
  }
  if (discordant === 0) {
    throw new StatsInputError('mcnemarTest: no discordant rows, the chi-square form is undefined; use the exact test');
  }
  const excess = Math.abs(b - c) - 1;
  const statistic = (excess * excess) / discordant;
  return { b, c, statistic, pValue: chiSquare1Sf(statistic), exact };
}

/** P(X ≤ k) for X ~ Binomial(n, 1/2). */
function binomialHalfCdf(k: number, n: number): number {
  if (k >= n) return 1;
  if (n <= 50) {
    // Binomial coefficients up to C(50, 25) ≈ 1.3e14 are exact doubles, and so is their
    // sum below 2^53: one rounding, at the final division.
    let coefficient = 1;
    let sum = 1;
    for (let i = 1; i <= k; i++) {
      coefficient = (coefficient * (n - i + 1)) / i;
      sum += coefficient;
    }
    return sum / 2 ** n;
  }
  // Larger n (only with exact forced): sum the terms in log space from the largest down.
  let logTerm = -n * Math.LN2;
  const logTerms: number[] = [logTerm];
  for (let i = 1; i <= k; i++) {
    logTerm += Math.log((n - i + 1) / i);
    logTerms.push(logTerm);
  }
  const top = logTerms[logTerms.length - 1]!;
  let sum = 0;
  for (let i = logTerms.length - 1; i >= 0; i--) sum += Math.exp(logTerms[i]! - top);
  return Math.exp(top) * sum;
}
