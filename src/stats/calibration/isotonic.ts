import { StatsInputError } from '../table.js';

/** A fitted isotonic calibration: the piecewise-linear curve through (x[k], y[k]), clipped outside. */
export interface IsotonicCurve {
  readonly x: readonly number[];
  readonly y: readonly number[];
}

/** The most knots a stored curve keeps (it travels in the version's lineage, an MLflow tag capped at 100 000 characters). */
export const MAX_ISOTONIC_KNOTS = 400;

/**
 * Fits P(y = 1 | score) as a non-decreasing function of the score, as scikit-learn's
 * `IsotonicRegression(out_of_bounds="clip", increasing=True)` does (what NannyML's CBPE
 * calibrates with): equal scores are merged into one weighted point, pool-adjacent-violators
 * finds the least-squares non-decreasing fit, and points inside a flat run are dropped
 * (they change no interpolated value). A curve with more than `maxKnots` knots keeps every
 * k-th one plus both ends: still monotone, and at registration's sizes it rarely happens.
 */
export function fitIsotonic(scores: Float64Array, labels: Uint8Array, maxKnots = MAX_ISOTONIC_KNOTS): IsotonicCurve {
  if (scores.length !== labels.length) throw new StatsInputError('isotonic fit: scores and labels differ in length');
  if (scores.length === 0) throw new StatsInputError('isotonic fit: no rows to calibrate on');
  const order = Array.from(scores.keys()).sort((a, b) => scores[a]! - scores[b]!);
  // Merge equal scores (sklearn's _make_unique), then pool adjacent violators over the blocks.
  const blockX: number[] = [];
  const blockMean: number[] = [];
  const blockWeight: number[] = [];
  for (const i of order) {
    const s = scores[i]!;
    if (!Number.isFinite(s)) throw new StatsInputError(`isotonic fit: score ${String(s)} is not finite`);
    const last = blockX.length - 1;
    if (last >= 0 && blockX[last] === s) {
      blockMean[last] = (blockMean[last]! * blockWeight[last]! + labels[i]!) / (blockWeight[last]! + 1);
      blockWeight[last]! += 1;
    } else {
      blockX.push(s);
      blockMean.push(labels[i]!);
      blockWeight.push(1);
    }
  }
  const fitted = poolAdjacentViolators(blockMean, blockWeight);
  return thin(dropFlatInteriors(blockX, fitted), maxKnots);
}

/** Least-squares non-decreasing fit of `values` with `weights` (PAVA), one value per input point. */
function poolAdjacentViolators(values: readonly number[], weights: readonly number[]): number[] {
  const mean: number[] = [];
  const weight: number[] = [];
  const size: number[] = [];
  values.forEach((v, i) => {
    mean.push(v);
    weight.push(weights[i]!);
    size.push(1);
    while (mean.length > 1 && mean[mean.length - 2]! > mean[mean.length - 1]!) {
      const w = weight.pop()!;
      const m = mean.pop()!;
      const n = size.pop()!;
      const top = mean.length - 1;
      mean[top] = (mean[top]! * weight[top]! + m * w) / (weight[top]! + w);
      weight[top]! += w;
      size[top]! += n;
    }
  });
  return mean.flatMap((m, b) => Array<number>(size[b]!).fill(m));
}

function dropFlatInteriors(x: readonly number[], y: readonly number[]): IsotonicCurve {
  const keepX: number[] = [];
  const keepY: number[] = [];
  for (let k = 0; k < x.length; k++) {
    const interior = k > 0 && k < x.length - 1 && y[k - 1] === y[k] && y[k] === y[k + 1];
    if (!interior) {
      keepX.push(x[k]!);
      keepY.push(y[k]!);
    }
  }
  return { x: keepX, y: keepY };
}

function thin(curve: IsotonicCurve, maxKnots: number): IsotonicCurve {
  const n = curve.x.length;
  if (n <= maxKnots) return curve;
  const step = (n - 1) / (maxKnots - 1);
  const picks = Array.from({ length: maxKnots }, (_, k) => Math.round(k * step));
  return { x: picks.map((k) => curve.x[k]!), y: picks.map((k) => curve.y[k]!) };
}

/** The curve's value at `score`: linear between knots (numpy.interp), the end values outside. */
export function applyIsotonic(curve: IsotonicCurve, score: number): number {
  const { x, y } = curve;
  const n = x.length;
  if (score <= x[0]!) return y[0]!;
  if (score >= x[n - 1]!) return y[n - 1]!;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! <= score) lo = mid;
    else hi = mid;
  }
  const x0 = x[lo]!;
  const x1 = x[hi]!;
  return y[lo]! + ((score - x0) / (x1 - x0)) * (y[hi]! - y[lo]!);
}
