import { StatsInputError } from '../table.js';

/**
 * Benjamini–Hochberg adjusted p-values (step-up, false discovery rate), in input order:
 * q₍ᵢ₎ = min_{j ≥ i} p₍ⱼ₎·m/j, capped at 1 — scipy.stats.false_discovery_control(method='bh').
 * Rejecting where q < α controls the expected share of false drift alarms at α, which
 * matters when hundreds of columns are tested on large windows.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  pValues.forEach((p, i) => {
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new StatsInputError(`benjaminiHochberg: p-value at index ${i} is ${String(p)}, outside [0, 1]`);
    }
  });
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[b]! - pValues[a]!);
  const adjusted = new Array<number>(m);
  let running = 1;
  order.forEach((idx, r) => {
    const rank = m - r; // 1-based rank in ascending order
    running = Math.min(running, (pValues[idx]! * m) / rank);
    adjusted[idx] = running;
  });
  return adjusted;
}
