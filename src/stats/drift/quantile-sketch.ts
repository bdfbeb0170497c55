import { StatsInputError } from '../table.js';
import type { QuantileSketch } from './profile-types.js';
import { lowerBound, upperBound } from './sorted-search.js';

/**
 * Extra edges where equal-mass bins are wide. The error bound of a bin grows with its
 * width × mass (a tail bin of a heavy-tailed column can span half the range), so about
 * `extra` more edges are spread in proportion to that product, each snapped to a sample
 * value so the CDF stays exact at every edge.
 */
function refineWideBins(sorted: Float64Array, edges: number[], extra: number): number[] {
  const n = sorted.length;
  const cum = edges.map((e) => upperBound(sorted, e, 0, n));
  const scores = edges.map((e, k) => (k === 0 ? 0 : ((e - edges[k - 1]!) * (cum[k]! - cum[k - 1]!)) / n));
  const total = scores.reduce((a, b) => a + b, 0);
  if (!(total > 0) || extra < 1) return edges;
  const unit = total / extra;
  const out = [edges[0]!];
  for (let k = 1; k < edges.length; k++) {
    const splits = Math.floor(scores[k]! / unit);
    const lo = edges[k - 1]!;
    const w = edges[k]! - lo;
    for (let j = 1; j <= splits; j++) {
      const v = sorted[upperBound(sorted, lo + (j * w) / (splits + 1), 0, n) - 1]!;
      if (v > out[out.length - 1]! && v < edges[k]!) out.push(v);
    }
    out.push(edges[k]!);
  }
  return out;
}

/**
 * Build a sketch from an ascending sample: about `bins` equal-mass bins, then about
 * bins/2 more edges inside the widest-and-heaviest bins (see refineWideBins).
 */
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
      if (below >= 0 && sorted[below]! > (edges[edges.length - 2] ?? -Infinity))
        edges.splice(edges.length - 1, 0, sorted[below]!);
    }
    repeats = 0;
    edges.push(e);
  }
  edges.splice(0, edges.length, ...refineWideBins(sorted, edges, Math.floor(bins / 2)));
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
  let below = 0,
    belowSum = 0,
    above = 0,
    aboveSum = 0,
    missing = 0;
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
 * Largest ∫(F − level)⁺ over a bin of width w for a non-decreasing F with values in
 * [lo, hi] and a known integral `area`. (·)⁺ is convex, so the maximum is reached by the
 * two-level step that stays at lo, then jumps to hi for the share t of the bin that
 * gives the same area.
 */
function maxExcess(area: number, w: number, lo: number, hi: number, level: number): number {
  if (level <= lo) return Math.max(0, area - level * w);
  if (hi <= level || hi <= lo) return 0;
  const t = Math.min(1, Math.max(0, (area - lo * w) / ((hi - lo) * w)));
  return t * w * (hi - level);
}

/**
 * Bounds on ∫|D| over one bin, D = F_R − F_C, from what is known exactly: both CDFs at
 * the edges (inside the bin F_R ∈ [a0, a1], F_C ∈ [c0, c1], both non-decreasing) and
 * their areas over the bin (from the gap sums), hence the signed area S = ∫D. Then
 * ∫|D| = |S| + 2·min(∫D⁺, ∫D⁻) with ∫D⁺ ≤ max ∫(F_R − c0)⁺ and ∫D⁻ ≤ max ∫(F_C − a0)⁺,
 * and since ∫D⁺ − ∫D⁻ = S the smaller one is also at most (larger one's bound) − |S|.
 * Returns X: the true ∫|D| lies in [|S|, |S| + 2X].
 */
function binExtra(
  s: number,
  w: number,
  a0: number,
  a1: number,
  areaR: number,
  c0: number,
  c1: number,
  areaC: number,
): number {
  const pos = maxExcess(areaR, w, a0, a1, c0);
  const neg = maxExcess(areaC, w, c0, c1, a0);
  return Math.max(0, s >= 0 ? Math.min(neg, pos - s) : Math.min(pos, neg + s));
}

/** A sketched W₁ and a guaranteed bound on its distance from the exact W₁. */
export interface SketchEstimate {
  readonly value: number;
  /** |value − exact W₁| ≤ errorBound, whatever the reference looked like inside its bins. */
  readonly errorBound: number;
}

/**
 * W₁ between the sketched reference and a binned current window. Exact outside
 * [e₀, e_K]; inside a bin the signed area ∫(F_R − F_C) is exact (from the counts and
 * gap sums), and ∫|F_R − F_C| lies between |signed area| and the bound of `binExtra`.
 * The estimate is the linear model of both CDFs where they cross at the edges and the
 * signed area elsewhere, clamped into that interval; the error bound is the larger
 * distance from the estimate to the interval's ends, summed over bins. It is zero where
 * the CDFs cannot cross inside a bin, and grows where they overlap (small windows).
 */
export function sketchWassersteinWithBound(sketch: QuantileSketch, cur: SketchBinning): SketchEstimate {
  const nR = sketch.cumCounts[sketch.cumCounts.length - 1]!;
  const nC = cur.present;
  let total = (cur.belowSum + cur.aboveSum) / nC;
  let bound = 0;
  let cumC = cur.below + cur.counts[0]!;
  let a0 = sketch.cumCounts[0]! / nR;
  let c0 = cumC / nC;
  for (let k = 1; k < sketch.edges.length; k++) {
    cumC += cur.counts[k]!;
    const a1 = sketch.cumCounts[k]! / nR;
    const c1 = cumC / nC;
    const prevD = a0 - c0;
    const d = a1 - c1;
    const w = sketch.edges[k]! - sketch.edges[k - 1]!;
    // ∫F over the bin = F(e_{k−1})·w + Σ(e_k − v)/n over the values in it.
    const areaR = a0 * w + sketch.gapSums[k]! / nR;
    const areaC = c0 * w + cur.gapSums[k]! / nC;
    const signed = areaR - areaC;
    const low = Math.abs(signed);
    const high = low + 2 * binExtra(signed, w, a0, a1, areaR, c0, c1, areaC);
    const crossing = !((prevD >= 0 && d >= 0) || (prevD <= 0 && d <= 0));
    const estimate = Math.min(high, crossing ? Math.max(low, absLinearIntegral(prevD, d, w)) : low);
    total += estimate;
    bound += Math.max(estimate - low, high - estimate);
    a0 = a1;
    c0 = c1;
  }
  return { value: total, errorBound: bound };
}

/** `sketchWassersteinWithBound`'s estimate alone. */
export const sketchWasserstein = (sketch: QuantileSketch, cur: SketchBinning): number =>
  sketchWassersteinWithBound(sketch, cur).value;

/**
 * KS statistic evaluated at the sketch edges (exact CDFs there), a lower bound on the
 * exact D; `upper` bounds it from above: inside a bin |F_R − F_C| ≤ max(a1 − c0, c1 − a0).
 */
export function sketchKsStatistic(sketch: QuantileSketch, cur: SketchBinning): number {
  return sketchKsRange(sketch, cur).lower;
}

export function sketchKsRange(sketch: QuantileSketch, cur: SketchBinning): { lower: number; upper: number } {
  const nR = sketch.cumCounts[sketch.cumCounts.length - 1]!;
  const nC = cur.present;
  let d = cur.below / nC;
  let upper = d;
  let cumC = cur.below;
  let a0 = 0;
  let c0 = cur.below / nC;
  for (let k = 0; k < sketch.edges.length; k++) {
    cumC += cur.counts[k]!;
    const a1 = sketch.cumCounts[k]! / nR;
    const c1 = cumC / nC;
    d = Math.max(d, Math.abs(a1 - c1));
    upper = Math.max(upper, a1 - c0, c1 - a0);
    a0 = a1;
    c0 = c1;
  }
  return { lower: d, upper: Math.max(upper, d) };
}
