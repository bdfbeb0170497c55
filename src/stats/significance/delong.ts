import { CompensatedSum } from '../metrics/sum.js';
import { checkSameLength, toFinite, toLabels } from '../metrics/validate.js';
import { StatsInputError } from '../table.js';
import { normalTwoSidedP } from './normal.js';

export interface DeLongResult {
  readonly positives: number;
  readonly negatives: number;
  readonly aucChampion: number;
  readonly aucChallenger: number;
  /** aucChallenger − aucChampion. */
  readonly difference: number;
  /** Variance of the difference: var(champion) + var(challenger) − 2·cov. */
  readonly variance: number;
  readonly varianceChampion: number;
  readonly varianceChallenger: number;
  readonly covariance: number;
  readonly z: number;
  /** Two-sided p-value of "both AUCs are equal". */
  readonly pValue: number;
}

/**
 * Structural components of one classifier (DeLong et al. 1988): for each positive, the
 * share of negatives it outranks (ties ½); for each negative, the share of positives that
 * outrank it. Sun & Xu (2014) get them from midranks; counting in the two sorted samples
 * by binary search yields the same numbers in O((m + n) log(m + n)).
 */
function components(labels: Uint8Array, score: Float64Array, m: number, n: number) {
  const pos = new Float64Array(m);
  const neg = new Float64Array(n);
  for (let i = 0, p = 0, q = 0; i < labels.length; i++) {
    if (labels[i] === 1) pos[p++] = score[i]!;
    else neg[q++] = score[i]!;
  }
  const sortedPos = pos.slice().sort();
  const sortedNeg = neg.slice().sort();
  const v10 = new Float64Array(m);
  const v01 = new Float64Array(n);
  let twiceU = 0;
  for (let i = 0; i < m; i++) {
    const twice = lowerBound(sortedNeg, pos[i]!) + upperBound(sortedNeg, pos[i]!);
    twiceU += twice;
    v10[i] = twice / (2 * n);
  }
  for (let j = 0; j < n; j++) {
    const twice = 2 * m - lowerBound(sortedPos, neg[j]!) - upperBound(sortedPos, neg[j]!);
    v01[j] = twice / (2 * m);
  }
  return { auc: twiceU / (2 * m * n), v10, v01 };
}

/** Number of elements < v in an ascending array. */
function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0,
    hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of elements ≤ v in an ascending array. */
function upperBound(sorted: Float64Array, v: number): number {
  let lo = 0,
    hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sample covariance (denominator k − 1) of two equally long vectors. */
function covariance(a: Float64Array, b: Float64Array): number {
  const k = a.length;
  const sa = new CompensatedSum();
  const sb = new CompensatedSum();
  for (let i = 0; i < k; i++) {
    sa.add(a[i]!);
    sb.add(b[i]!);
  }
  const ma = sa.value / k;
  const mb = sb.value / k;
  const s = new CompensatedSum();
  for (let i = 0; i < k; i++) s.add((a[i]! - ma) * (b[i]! - mb));
  return s.value / (k - 1);
}

/**
 * DeLong's test for the difference of two correlated ROC AUCs measured on the same rows
 * (fast algorithm of Sun & Xu 2014; tied scores count one half, i.e. midranks). Needs at
 * least two positives and two negatives. When the variance of the difference is zero
 * (e.g. identical rankings) and the AUCs are equal, z = 0 and p = 1.
 */
export function delongTest(
  yTrue: ArrayLike<number>,
  championScore: ArrayLike<number>,
  challengerScore: ArrayLike<number>,
): DeLongResult {
  const what = 'delongTest';
  checkSameLength(what, { yTrue, championScore, challengerScore });
  const labels = toLabels(what, 'yTrue', yTrue);
  const a = toFinite(what, 'championScore', championScore);
  const b = toFinite(what, 'challengerScore', challengerScore);
  let m = 0;
  for (let i = 0; i < labels.length; i++) m += labels[i]!;
  const n = labels.length - m;
  if (m < 2 || n < 2) {
    throw new StatsInputError(`${what}: need at least 2 positives and 2 negatives, got ${m} and ${n}`);
  }
  const champion = components(labels, a, m, n);
  const challenger = components(labels, b, m, n);
  const varianceChampion = covariance(champion.v10, champion.v10) / m + covariance(champion.v01, champion.v01) / n;
  const varianceChallenger =
    covariance(challenger.v10, challenger.v10) / m + covariance(challenger.v01, challenger.v01) / n;
  const cov = covariance(champion.v10, challenger.v10) / m + covariance(champion.v01, challenger.v01) / n;
  const variance = varianceChampion + varianceChallenger - 2 * cov;
  const difference = challenger.auc - champion.auc;
  let z: number;
  if (variance > 0) z = difference / Math.sqrt(variance);
  else if (difference === 0) z = 0;
  else {
    throw new StatsInputError(
      `${what}: the AUC difference ${difference} has zero estimated variance; the test is undefined on this sample`,
    );
  }
  return {
    positives: m,
    negatives: n,
    aucChampion: champion.auc,
    aucChallenger: challenger.auc,
    difference,
    variance: Math.max(variance, 0),
    varianceChampion,
    varianceChallenger,
    covariance: cov,
    z,
    pValue: normalTwoSidedP(z),
  };
}
