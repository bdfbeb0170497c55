import { StatsInputError } from '../table.js';
import { DriftMethod } from './drift-method.js';
import {
  EVIDENTLY_MAX_COUNTED_VALUES,
  evidentlyPsi,
  histogramCounts,
  shares,
  sturgesEdges,
} from './evidently-binning.js';
import { jensenShannonRange, psiRange, sketchHistogramRanges } from './evidently-sketch-bound.js';
import { jensenShannonDistance } from './jensen-shannon.js';
import type { NumericColumnProfile, QuantileSketch } from './profile-types.js';
import { lowerBound } from './sorted-search.js';

/** Value → count of a numeric reference, when the profile can give it exactly (else null). */
export function referenceValueCounts(profile: NumericColumnProfile): Map<string, number> | null {
  if (profile.distinct)
    return new Map(profile.distinct.values.map((v, i) => [String(v), profile.distinct!.counts[i]!] as const));
  if (!profile.sorted) return null;
  const m = new Map<string, number>();
  for (const v of profile.sorted) m.set(String(v), (m.get(String(v)) ?? 0) + 1);
  return m;
}

/**
 * Whether Evidently would bin this column (more than 20 distinct reference values) rather
 * than count values. A sketched column without distinct counts had more than
 * `distinctLimit` distinct values, which settles it only when that limit is ≥ 20.
 */
export function evidentlyBinsColumn(profile: NumericColumnProfile, distinctLimit: number, column: string): boolean {
  if (profile.distinct) return profile.distinct.values.length > EVIDENTLY_MAX_COUNTED_VALUES;
  if (profile.sorted) {
    let distinct = 1;
    for (let i = 1; i < profile.sorted.length && distinct <= EVIDENTLY_MAX_COUNTED_VALUES; i++)
      if (profile.sorted[i] !== profile.sorted[i - 1]) distinct++;
    return distinct > EVIDENTLY_MAX_COUNTED_VALUES;
  }
  if (distinctLimit >= EVIDENTLY_MAX_COUNTED_VALUES) return true;
  throw new StatsInputError(
    `column "${column}": Evidently mode needs a profile built with distinctLimit ≥ ${EVIDENTLY_MAX_COUNTED_VALUES} (it has ${distinctLimit})`,
  );
}

/** #reference values < x, read off the sketch's CDF (exact at its edges, linear between). */
function sketchCountBelow(s: QuantileSketch, x: number): number {
  const { edges, cumCounts } = s;
  if (x <= edges[0]!) return 0;
  const last = edges.length - 1;
  if (x > edges[last]!) return cumCounts[last]!;
  const lo = lowerBound(edges, x, 1, last);
  const below = cumCounts[lo - 1]!;
  return below + ((cumCounts[lo]! - below) * (x - edges[lo - 1]!)) / (edges[lo]! - edges[lo - 1]!);
}

/** Reference counts per histogram bin: exact from the sorted sample, interpolated from a sketch. */
function referenceHistogram(
  profile: NumericColumnProfile,
  edges: Float64Array,
): { counts: number[]; approximate: boolean } {
  if (profile.sorted) return { counts: histogramCounts(profile.sorted, edges), approximate: false };
  const s = profile.sketch!;
  const bins = edges.length - 1;
  const counts: number[] = [];
  for (let i = 0; i < bins; i++) {
    const hi = i === bins - 1 ? profile.count : sketchCountBelow(s, edges[i + 1]!);
    counts.push(hi - sketchCountBelow(s, edges[i]!));
  }
  return { counts, approximate: true };
}

/**
 * PSI or Jensen–Shannon of a numeric column with more than 20 distinct reference values,
 * as Evidently computes them: Sturges bins over reference ∪ current, histogram shares,
 * PSI with Evidently's empty-share fill, JS without. On a sketched reference the counts are
 * read off the sketch's CDF and the result carries a guaranteed errorBound.
 */
export function evidentlyBinnedDistance(
  profile: NumericColumnProfile,
  current: Float64Array,
  method: typeof DriftMethod.psi | typeof DriftMethod.jensenShannon,
): { distance: number; approximate: boolean; errorBound?: number } {
  let min = profile.min;
  let max = profile.max;
  for (let i = 0; i < current.length; i++) {
    const v = current[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const edges = sturgesEdges(min, max, profile.count + current.length);
  const ref = referenceHistogram(profile, edges);
  const cur = histogramCounts(current, edges);
  const distance =
    method === DriftMethod.psi
      ? evidentlyPsi(ref.counts, profile.count, cur, current.length)
      : jensenShannonDistance(shares(ref.counts, profile.count), shares(cur, current.length));
  if (!ref.approximate) return { distance, approximate: false };
  const ranges = sketchHistogramRanges(profile.sketch!, profile.count, edges);
  const [low, high] = (method === DriftMethod.psi ? psiRange : jensenShannonRange)(
    ranges,
    profile.count,
    cur,
    current.length,
  );
  return { distance, approximate: true, errorBound: Math.max(distance - low, high - distance, 0) };
}
