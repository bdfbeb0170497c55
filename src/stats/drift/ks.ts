import { exactTwoSidedPValue } from './ks-exact.js';
import { kolmogorovSf } from './kolmogorov-distribution.js';
import { sortedPresentValues } from './finite-sample.js';
import { roundHalfEven } from './special-functions.js';

/** Above this sample size the exact lattice count is skipped (scipy's MAX_AUTO_N). */
export const KS_EXACT_MAX_N = 10_000;

export interface KsResult {
  readonly statistic: number;
  readonly pValue: number;
  /** 'exact' lattice-path count or 'asymptotic' Kolmogorov distribution with n = n₁n₂/(n₁+n₂). */
  readonly pMethod: 'exact' | 'asymptotic';
  readonly sizes: readonly [number, number];
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** D = sup |F₁ − F₂| over the pooled points, both ECDFs right-continuous (ties handled). */
export function ksStatisticSorted(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let maxS = 0;
  let minS = 0;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    while (i < n1 && a[i]! <= v) i++;
    while (j < n2 && b[j]! <= v) j++;
    // Same floating-point expression as scipy so the statistic matches bit for bit.
    const diff = i / n1 - j / n2;
    if (diff > maxS) maxS = diff;
    if (diff < minS) minS = diff;
  }
  return Math.min(-minS, 1) > maxS ? Math.min(-minS, 1) : maxS;
}

/** Two-sided p-value for statistic d with scipy's method='auto' rule. */
export function ksPValue(
  d: number,
  n1: number,
  n2: number,
): { statistic: number; pValue: number; pMethod: 'exact' | 'asymptotic' } {
  let statistic = d;
  if (Math.max(n1, n2) <= KS_EXACT_MAX_N) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = Math.round(d * lcm);
    statistic = h / lcm; // snap to the lattice, as the exact count is defined on it
    const p = exactTwoSidedPValue(n1, n2, g, h);
    if (p !== null) return { statistic, pValue: p, pMethod: 'exact' };
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  const p = kolmogorovSf(roundHalfEven(en), statistic);
  return { statistic, pValue: Math.min(1, Math.max(0, p)), pMethod: 'asymptotic' };
}

/**
 * Two-sample two-sided Kolmogorov–Smirnov test, matching scipy.stats.ks_2samp with its
 * default method='auto': exact p-value when both samples have ≤ 10 000 values (falling
 * back to asymptotic if the exact count overflows), otherwise the Kolmogorov
 * distribution at n = round(n₁n₂/(n₁+n₂)). NaN values are skipped as missing; ±Infinity
 * or an empty sample throws StatsInputError.
 */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  const sa = sortedPresentValues(a, 'ksTwoSample reference');
  const sb = sortedPresentValues(b, 'ksTwoSample current');
  return ksTwoSampleSorted(sa, sb);
}

/** `ksTwoSample` on samples already validated and sorted ascending. */
export function ksTwoSampleSorted(sa: Float64Array, sb: Float64Array): KsResult {
  const d = ksStatisticSorted(sa, sb);
  return { ...ksPValue(d, sa.length, sb.length), sizes: [sa.length, sb.length] };
}
