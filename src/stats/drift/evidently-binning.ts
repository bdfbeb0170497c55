/**
 * Evidently 0.7's binning for PSI and Jensen–Shannon (`get_binned_data`): a numeric column
 * whose reference has more than 20 distinct values is cut into Sturges bins over reference
 * and current together (numpy `histogram_bin_edges(…, 'sturges')`, then `histogram`);
 * anything else is compared on value counts. PSI then replaces empty shares (`feel_zeroes`).
 * The float operations follow numpy's so the edges agree to the bit.
 */
import { upperBound } from './sorted-search.js';

/** Above this many distinct reference values a numeric column is binned, at or below it counted. */
export const EVIDENTLY_MAX_COUNTED_VALUES = 20;

/** numpy.histogram_bin_edges(x, 'sturges') for a sample of `n` values spanning [min, max]. */
export function sturgesEdges(min: number, max: number, n: number): Float64Array {
  let first = min;
  let last = max;
  const ptp = max - min;
  const width = ptp / (Math.log2(n) + 1);
  const bins = width > 0 ? Math.ceil(ptp / width) : 1;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  // numpy.linspace(first, last, bins + 1): i·step + first, the last edge set to `last`.
  const edges = new Float64Array(bins + 1);
  const delta = last - first;
  const step = delta / bins;
  for (let i = 0; i <= bins; i++) edges[i] = step === 0 ? (i / bins) * delta + first : i * step + first;
  edges[bins] = last;
  return edges;
}

/**
 * numpy.histogram counts on given edges: bin i holds [e_i, e_{i+1}), the last bin is
 * closed on the right, values outside [e_0, e_K] are not counted; NaN is skipped.
 */
export function histogramCounts(values: ArrayLike<number>, edges: Float64Array): number[] {
  const bins = edges.length - 1;
  const counts = new Array<number>(bins).fill(0);
  const lastEdge = edges[bins]!;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= edges[0]! && v <= lastEdge)) continue;
    const k = v === lastEdge ? bins - 1 : upperBound(edges, v) - 1;
    counts[k]!++;
  }
  return counts;
}

/**
 * Evidently's `feel_zeroes`: empty shares become the smallest non-empty share ÷ 10⁶ when
 * that share is ≤ 10⁻⁴, otherwise 10⁻⁴. (Our default PSI floors every share at 10⁻⁴.)
 */
export function fillEmptyShares(shares: number[]): number[] {
  let smallest = Infinity;
  for (const s of shares) if (s !== 0 && s < smallest) smallest = s;
  const fill = smallest <= 0.0001 ? smallest / 10 ** 6 : 0.0001;
  return shares.map((s) => (s === 0 ? fill : s));
}

/** PSI on shares as Evidently sums it: Σ (r − c)·ln(r / c), after `fillEmptyShares`. */
export function evidentlyPsi(
  referenceCounts: readonly number[],
  referenceTotal: number,
  currentCounts: readonly number[],
  currentTotal: number,
): number {
  const r = fillEmptyShares(referenceCounts.map((c) => c / referenceTotal));
  const c = fillEmptyShares(currentCounts.map((x) => x / currentTotal));
  let psi = 0;
  for (let i = 0; i < r.length; i++) psi += (r[i]! - c[i]!) * Math.log(r[i]! / c[i]!);
  return psi;
}

/** Shares as Evidently divides them (count ÷ sample size), for Jensen–Shannon. */
export const shares = (counts: readonly number[], total: number): number[] => counts.map((c) => c / total);
