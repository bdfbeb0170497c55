import { StatsInputError } from '../table.js';
import type { CategoricalColumnProfile, NumericColumnProfile } from './profile-types.js';

/**
 * Consistency of a reference profile that already has the right shape. A profile that
 * parses but contradicts itself (a negative std, counts that do not add up, a sketch whose
 * areas exceed its bins) would give silently wrong distances, so it is refused with the
 * path of the field that disagrees. These are checks of what `buildReferenceProfile`
 * always writes, so a profile it built always passes.
 */
const fail = (path: string, what: string): never => {
  throw new StatsInputError(`parseReferenceProfile: ${path} ${what}`);
};

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** Sums of float terms are compared with this relative slack (the builder adds the same terms). */
const RELATIVE_SLACK = 1e-9;

function checkCounts(counts: readonly number[], path: string, total: number): void {
  const s = sum(counts);
  if (s !== total) fail(path, `sum to ${s}, count is ${total}`);
}

export function checkCategoricalConsistency(c: CategoricalColumnProfile, path: string): void {
  const seen = new Set<string>();
  for (const k of c.categories) {
    if (seen.has(k)) fail(`${path}.categories`, `has "${k}" twice`);
    seen.add(k);
  }
  checkCounts(c.counts, `${path}.counts`, c.count);
}

function checkStd(c: NumericColumnProfile, path: string): void {
  if (c.std < 0) fail(`${path}.std`, `must be ≥ 0, got ${c.std}`);
  const range = c.max - c.min;
  if (range === 0 && c.std !== 0) fail(`${path}.std`, `must be 0 for a constant column (min = max), got ${c.std}`);
  if (range > 0 && c.std === 0) fail(`${path}.std`, `must be positive when min < max`);
  // Popoviciu: a population std never exceeds half the range.
  if (c.std > (range / 2) * (1 + RELATIVE_SLACK)) fail(`${path}.std`, `${c.std} exceeds half the range (${range / 2})`);
}

function checkSketch(c: NumericColumnProfile, path: string): void {
  const { edges, cumCounts, gapSums } = c.sketch!;
  const p = `${path}.sketch`;
  if (edges[0] !== c.min) fail(`${p}.edges[0]`, `must equal min (${c.min}), got ${edges[0]}`);
  if (edges[edges.length - 1] !== c.max) fail(`${p}.edges[${edges.length - 1}]`, `must equal max (${c.max})`);
  // Every edge is a sample value, so each bin (e_{k−1}, e_k] holds at least e_k itself.
  if (cumCounts[0]! < 1) fail(`${p}.cumCounts[0]`, 'must be ≥ 1 (the minimum is a sample value)');
  if (gapSums[0] !== 0) fail(`${p}.gapSums[0]`, 'must be 0 (nothing lies below the first edge)');
  for (let k = 1; k < edges.length; k++) {
    const inBin = cumCounts[k]! - cumCounts[k - 1]!;
    if (inBin < 1) fail(`${p}.cumCounts[${k}]`, `must exceed cumCounts[${k - 1}] (each edge is a sample value)`);
    // Values in the bin lie in (e_{k−1}, e_k], and e_k itself adds 0: Σ(e_k − v) < w·(n_k − 1) unless n_k = 1.
    const most = (edges[k]! - edges[k - 1]!) * (inBin - 1);
    if (gapSums[k]! > most * (1 + RELATIVE_SLACK)) {
      fail(
        `${p}.gapSums[${k}]`,
        `= ${gapSums[k]} exceeds what ${inBin} values in (${edges[k - 1]}, ${edges[k]}] can hold (${most})`,
      );
    }
  }
}

export function checkNumericConsistency(c: NumericColumnProfile, path: string): void {
  if (c.min > c.max) fail(`${path}.min`, `${c.min} exceeds max ${c.max}`);
  if (c.sorted !== null) {
    if (c.sorted[0] !== c.min) fail(`${path}.min`, `must equal the smallest sorted value (${c.sorted[0]})`);
    if (c.sorted[c.sorted.length - 1] !== c.max)
      fail(`${path}.max`, `must equal the largest sorted value (${c.sorted[c.sorted.length - 1]})`);
  } else {
    checkSketch(c, path);
  }
  checkStd(c, path);
  if (c.distinct !== null) {
    checkCounts(c.distinct.counts, `${path}.distinct.counts`, c.count);
    const v = c.distinct.values;
    if (v[0] !== c.min || v[v.length - 1] !== c.max) fail(`${path}.distinct.values`, 'must run from min to max');
    if (c.distinct.counts.some((n) => n < 1)) fail(`${path}.distinct.counts`, 'must all be ≥ 1');
  }
  checkCounts(c.bins.counts, `${path}.bins.counts`, c.count);
  const cuts = c.bins.cutPoints;
  if (cuts.length > 0 && (cuts[0]! < c.min || cuts[cuts.length - 1]! > c.max))
    fail(`${path}.bins.cutPoints`, 'must lie within [min, max]');
}
