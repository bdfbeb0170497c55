import { StatsInputError } from '../table.js';
import type { QuantileSketch } from './profile-types.js';

/** Index of the first element ≥ v in ascending `a` within [lo, hi). */
function lowerBound(a: ArrayLike<number>, v: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Build an equal-mass sketch with about `bins` bins from an ascending sample. */
export function buildSketch(sorted: Float64Array, bins: number): QuantileSketch {
  const n = sorted.length;
  const edges: number[] = [];
  let repeats = 0;
  for (let k = 0; k <= bins; k++) {
    const e = sorted[Math.round((k * (n - 1)) / bins)]!;
    if (edges.length > 0 && edges[edges.length - 1] === e) {
      repeats++;
      continue;
    }
    // An atom (several quantiles on one value) gets its predecessor as an edge, so the
    // jump of the CDF is not spread over a whole bin by the linear interpolation.
    if (repeats > 0 && edges.length > 0) {
      const atom = edges[edges.length - 1]!;
      const below = lowerBound(sorted, atom, 0, n) - 1;
      if (below >= 0 && sorted[below]! > (edges[edges.length - 2] ?? -Infinity)) edges.splice(edges.length - 1, 0, sorted[below]!);
    }
    repeats = 0;
    edges.push(e);
  }
  const cumCounts = edges.map((e) => lowerBound(sorted, e, 0, n) + countEqual(sorted, e));
  const gapSums = new Array<number>(edges.length).fill(0);
  for (let i = 0, k = 1; i < n; i++) {
    const v = sorted[i]!;
    if (v <= edges[0]!) continue;
    while (edges[k]! < v) k++;
    gapSums[k]! += edges[k]! - v;
  }
  return { edges, cumCounts, gapSums };
}

function countEqual(sorted: Float64Array, v: number): number {
  const first = lowerBound(sorted, v, 0, sorted.length);
  let i = first;
  while (i < sorted.length && sorted[i] === v) i++;
  return i - first;
}

/** Current window binned on a sketch's edges, with the exact tails outside them. */
export interface SketchBinning {
  /** counts[0]: values == e₀; counts[k]: values in (e_{k−1}, e_k]. */
  readonly counts: Float64Array;
  /** gapSums[k] = Σ (e_k − v) over the values in bin k: the exact area under the CDF in the bin. */
  readonly gapSums: Float64Array;
  readonly below: number;
  readonly belowSum: number; // Σ (e₀ − v) over v < e₀
  readonly above: number;
  readonly aboveSum: number; // Σ (v − e_K) over v > e_K
  readonly present: number;
  readonly missing: number;
}

/**
 * One O(n) pass: an equal-width lookup table over [e₀, e_K] narrows each value to a
 * few candidate edges, then a short binary search — no sort of the current window.
 * Throws on ±Infinity; NaN counts as missing.
 */
export function binOnSketch(values: Float64Array, edgesIn: readonly number[], label: string): SketchBinning {
  const edges = Float64Array.from(edgesIn);
  const last = edges.length - 1;
  const e0 = edges[0]!;
  const eK = edges[last]!;
  const cells = Math.max(1, 4 * last);
  const scale = eK > e0 ? cells / (eK - e0) : 0;
  const start = new Int32Array(cells + 1);
  for (let c = 0, k = 0; c <= cells; c++) {
    const low = c === cells || scale === 0 ? eK : e0 + c / scale;
    while (k < last && edges[k]! < low) k++;
    start[c] = k;
  }
  const counts = new Float64Array(edges.length);
  const gapSums = new Float64Array(edges.length);
  let below = 0, belowSum = 0, above = 0, aboveSum = 0, missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) {
      missing++;
    } else if (v < e0) {
      if (v === -Infinity) throw new StatsInputError(`${label}: value at row ${i} is -Infinity`);
      below++;
      belowSum += e0 - v;
    } else if (v > eK) {
      if (v === Infinity) throw new StatsInputError(`${label}: value at row ${i} is Infinity`);
      above++;
      aboveSum += v - eK;
    } else {
      let c = ((v - e0) * scale) | 0;
      if (c >= cells) c = cells - 1;
      let k = start[c]!;
      const hi = start[c + 1]!;
      // Usually a cell holds an edge or two: scan; a crowded cell (outliers stretched the
      // range) gets a binary search.
      if (hi - k > 8) k = lowerBound(edges, v, k, hi + 1);
      while (edges[k]! < v) k++;
      // The cell arithmetic can round across a boundary: settle on the exact edge.
      while (k > 0 && edges[k - 1]! >= v) k--;
      counts[k]!++;
      gapSums[k]! += edges[k]! - v;
    }
  }
  return { counts, gapSums, below, belowSum, above, aboveSum, present: values.length - missing, missing };
}

/** ∫₀^w |d₀ + (d₁ − d₀)t/w| dt for a linear difference of CDFs over a bin of width w. */
function absLinearIntegral(d0: number, d1: number, w: number): number {
  if ((d0 >= 0 && d1 >= 0) || (d0 <= 0 && d1 <= 0)) return (w * Math.abs(d0 + d1)) / 2;
  return (w * (d0 * d0 + d1 * d1)) / (2 * (Math.abs(d0) + Math.abs(d1)));
}

/**
 * W₁ between the sketched reference and a binned current window. Exact outside
 * [e₀, e_K]; inside a bin the signed area ∫(F_R − F_C) is exact too (from the counts and
 * gap sums), so the result is exact wherever the two CDFs do not cross inside a bin.
 * Only bins where they cross (the difference changes sign between the edges) fall back
 * to a linear model of both CDFs: that is the sole approximation (see the accuracy test).
 */
export function sketchWasserstein(sketch: QuantileSketch, cur: SketchBinning): number {
  const nR = sketch.cumCounts[sketch.cumCounts.length - 1]!;
  const nC = cur.present;
  let total = (cur.belowSum + cur.aboveSum) / nC;
  let cumC = cur.below + cur.counts[0]!;
  let prevD = sketch.cumCounts[0]! / nR - cumC / nC;
  for (let k = 1; k < sketch.edges.length; k++) {
    cumC += cur.counts[k]!;
    const d = sketch.cumCounts[k]! / nR - cumC / nC;
    const w = sketch.edges[k]! - sketch.edges[k - 1]!;
    const signedArea = Math.abs(prevD * w + sketch.gapSums[k]! / nR - cur.gapSums[k]! / nC);
    // |signed area| is exact without a crossing and a lower bound with one; with a crossing
    // the linear model may see more (smooth data), or less (atoms: CDFs flat, then a jump).
    total += (prevD >= 0 && d >= 0) || (prevD <= 0 && d <= 0) ? signedArea : Math.max(signedArea, absLinearIntegral(prevD, d, w));
    prevD = d;
  }
  return total;
}

/** KS statistic evaluated at the sketch edges (exact CDFs there): a lower bound within 1/K. */
export function sketchKsStatistic(sketch: QuantileSketch, cur: SketchBinning): number {
  const nR = sketch.cumCounts[sketch.cumCounts.length - 1]!;
  const nC = cur.present;
  let d = cur.below / nC;
  let cumC = cur.below;
  for (let k = 0; k < sketch.edges.length; k++) {
    cumC += cur.counts[k]!;
    d = Math.max(d, Math.abs(sketch.cumCounts[k]! / nR - cumC / nC));
  }
  return d;
}
