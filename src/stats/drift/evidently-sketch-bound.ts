import { fillEmptyShares } from './evidently-binning.js';
import type { QuantileSketch } from './profile-types.js';
import { lowerBound } from './sorted-search.js';

/**
 * A guaranteed range for Evidently-mode PSI and Jensen–Shannon on a sketched reference.
 * The sketch pins #reference < x between cumCounts[k−1] and cumCounts[k] − 1 for x in
 * (e_{k−1}, e_k] (every edge is a sample value), so each histogram bin's reference count
 * lies in an interval. Each PSI or JS term is convex in the reference share, so over its
 * interval it is largest at an end and smallest at the current share (or the nearer end):
 * summing those bounds the exact value, whatever the reference did between edges.
 */

/** [fewest, most] reference values below x. */
function countBelowRange(s: QuantileSketch, x: number): [number, number] {
  const { edges, cumCounts } = s;
  const last = edges.length - 1;
  if (x <= edges[0]!) return [0, 0];
  if (x > edges[last]!) return [cumCounts[last]!, cumCounts[last]!];
  const lo = lowerBound(edges, x, 1, last);
  return [cumCounts[lo - 1]!, cumCounts[lo]! - 1];
}

/** [min, max] reference count of each histogram bin (the last bin closed on the right, as numpy's). */
export function sketchHistogramRanges(s: QuantileSketch, n: number, edges: Float64Array): Array<[number, number]> {
  const bins = edges.length - 1;
  const out: Array<[number, number]> = [];
  for (let i = 0; i < bins; i++) {
    const [aLo, aHi] = countBelowRange(s, edges[i]!);
    const [bLo, bHi] = i === bins - 1 ? [n, n] : countBelowRange(s, edges[i + 1]!);
    out.push([Math.max(0, bLo - aHi), Math.max(0, bHi - aLo)]);
  }
  return out;
}

/** Sum over bins of the smallest and largest value of a convex term on [lo, hi], given where it is 0. */
function convexRange(
  ranges: Array<[number, number]>,
  term: (i: number, r: number) => number,
  zeroAt: (i: number) => number,
): [number, number] {
  let low = 0;
  let high = 0;
  ranges.forEach(([lo, hi], i) => {
    const a = term(i, lo);
    const b = term(i, hi);
    const z = zeroAt(i);
    high += Math.max(a, b);
    low += z >= lo && z <= hi ? term(i, z) : Math.min(a, b);
  });
  return [low, high];
}

/** Range of Evidently's PSI: reference shares in their intervals, an empty one filled with anything the fill rule allows. */
export function psiRange(
  countRanges: Array<[number, number]>,
  n: number,
  currentCounts: readonly number[],
  currentTotal: number,
): [number, number] {
  const c = fillEmptyShares(currentCounts.map((x) => x / currentTotal));
  // An empty reference bin gets a share between the smallest possible fill and 10⁻⁴.
  const fillLow = Math.min(1 / n <= 0.0001 ? 1 / n / 10 ** 6 : 0.0001, 1 / n);
  const shareRanges = countRanges.map(([lo, hi]): [number, number] =>
    lo > 0 ? [lo / n, hi / n] : [fillLow, Math.max(hi / n, 0.0001)],
  );
  return convexRange(
    shareRanges,
    (i, r) => (r - c[i]!) * Math.log(r / c[i]!),
    (i) => c[i]!,
  );
}

/** Range of the Jensen–Shannon distance (natural log), reference shares in their intervals. */
export function jensenShannonRange(
  countRanges: Array<[number, number]>,
  n: number,
  currentCounts: readonly number[],
  currentTotal: number,
): [number, number] {
  const q = currentCounts.map((x) => x / currentTotal);
  const h = (i: number, p: number): number => {
    const m = (p + q[i]!) / 2;
    return (p > 0 ? p * Math.log(p / m) : 0) + (q[i]! > 0 ? q[i]! * Math.log(q[i]! / m) : 0);
  };
  const [lo, hi] = convexRange(
    countRanges.map(([a, b]) => [a / n, b / n]),
    h,
    (i) => q[i]!,
  );
  return [Math.sqrt(Math.max(0, lo / 2)), Math.sqrt(Math.max(0, hi / 2))];
}
