/**
 * Linear-interpolation quantile of an ascending sample, numpy's default ("linear",
 * type 7), including its two-sided lerp so edges match numpy to the last bit.
 */
export function sortedQuantile(sorted: Float64Array, p: number): number {
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const t = pos - lo;
  const a = sorted[lo]!;
  if (t === 0 || lo + 1 >= sorted.length) return a;
  const b = sorted[lo + 1]!;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** The `bins − 1` interior cut points at reference quantiles k/bins. */
export function quantileCutPoints(sorted: Float64Array, bins: number): number[] {
  const cuts: number[] = [];
  for (let k = 1; k < bins; k++) cuts.push(sortedQuantile(sorted, k / bins));
  return cuts;
}

/**
 * Counts per bin for cut points c₁ ≤ … ≤ c_{B−1}: bin i holds values in (c_i, c_{i+1}]
 * (first bin unbounded below, last unbounded above) — numpy searchsorted side='left'.
 * NaN values are skipped; callers validate Infinity beforehand.
 */
export function countIntoCutBins(values: ArrayLike<number>, cuts: readonly number[]): number[] {
  const counts = new Array<number>(cuts.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) continue;
    let lo = 0;
    let hi = cuts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cuts[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    counts[lo]!++;
  }
  return counts;
}
