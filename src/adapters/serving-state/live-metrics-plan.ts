/**
 * How both backends answer a live-metrics window fast and exactly, whatever its size:
 *
 * - Sums (count, errors, labelled, correct, absolute error) come from the rollup table, one
 *   row per model, version, {@link ROLLUP_BUCKET_MS} bucket and gateway replica, kept by database triggers on
 *   every prediction and label insert (so a replica of an older release keeps it right
 *   too), for the buckets the window covers whole; the partial buckets at its edges are
 *   summed from the raw rows. At most two edges of one bucket each are read raw.
 * - The nearest-rank p95 latency is exact, read from the raw rows: the m-th largest
 *   latency of the window (m = n − ⌈0.95 n⌉ + 1) either by walking the version's latency
 *   index from the top, skipping rows outside the window, or by sorting the window's rows
 *   found by the time index, whichever reads fewer index entries.
 */

/** Width of a rollup bucket. Fixed in the released migrations (their SQL embeds it): never change it. */
export const ROLLUP_BUCKET_MS = 1_000;

/** A half-open time range `[fromMs, toMs)`. */
export type TimeRange = readonly [fromMs: number, toMs: number];

/** The whole buckets of a window, read from the rollup, and the edges to sum from raw rows. */
export interface WindowParts {
  readonly buckets: TimeRange | null;
  readonly raw: readonly TimeRange[];
}

export function windowParts(fromMs: number, toMs: number): WindowParts {
  const first = Math.ceil(fromMs / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
  const end = Math.floor(toMs / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
  if (first >= end) return { buckets: null, raw: fromMs < toMs ? [[fromMs, toMs]] : [] };
  const raw: TimeRange[] = [];
  if (fromMs < first) raw.push([fromMs, first]);
  if (end < toMs) raw.push([end, toMs]);
  return { buckets: [first, end], raw };
}

/** Sums of one version over (part of) a window, as the rollup holds them (per replica; '' = unnamed). */
export interface VersionSums {
  version: number;
  replica?: string;
  count: number;
  errors: number;
  labeled: number;
  correct: number;
  absErr: number;
}

/** Adds up the parts' per-version sums (rows from the rollup and from the raw edges). */
export function sumByVersion(parts: readonly VersionSums[]): VersionSums[] {
  const byVersion = new Map<number, VersionSums>();
  for (const p of parts) {
    const s = byVersion.get(p.version);
    if (!s) byVersion.set(p.version, { ...p });
    else {
      s.count += p.count;
      s.errors += p.errors;
      s.labeled += p.labeled;
      s.correct += p.correct;
      s.absErr += p.absErr;
    }
  }
  return [...byVersion.values()].sort((a, b) => a.version - b.version);
}

/** Predictions per gateway replica that named itself (rows logged without one are not counted), or undefined when none did. */
export function servedByOf(parts: readonly VersionSums[]): Record<string, number> | undefined {
  const counts: Record<string, number> = {};
  for (const p of parts) if (p.replica) counts[p.replica] = (counts[p.replica] ?? 0) + p.count;
  const replicas = Object.keys(counts).sort();
  return replicas.length > 0 ? Object.fromEntries(replicas.map((r) => [r, counts[r]!])) : undefined;
}

export function totalOf(versions: readonly VersionSums[]): Omit<VersionSums, 'version'> {
  const t = { count: 0, errors: 0, labeled: 0, correct: 0, absErr: 0 };
  for (const v of versions) {
    t.count += v.count;
    t.errors += v.errors;
    t.labeled += v.labeled;
    t.correct += v.correct;
    t.absErr += v.absErr;
  }
  return t;
}

/**
 * The nearest-rank p95 of n values is the ⌈0.95 n⌉-th smallest, i.e. the m-th largest with
 * m = n − ⌈0.95 n⌉ + 1: reading from the top touches 5% of the values, not 95%.
 */
export function p95RankFromTop(n: number): number {
  return n - Math.ceil(0.95 * n) + 1;
}

/** Below this many successful rows in the window a version's latencies are simply sorted. */
const SORT_ALWAYS_BELOW = 5_000;

/** Whether choosing a latency scan for this version needs its all-time row count. */
export function needsVersionTotal(okInWindow: number, m: number): boolean {
  return okInWindow >= SORT_ALWAYS_BELOW && okInWindow > m;
}

/**
 * How to find a version's top-m latencies in the window: `walk` its latency index from
 * the top (about m × okAllTime / okInWindow entries when the window's latencies are like
 * the rest) or sort the `window`'s rows (okInWindow entries).
 */
export function latencyScan(okInWindow: number, m: number, okAllTime?: number): 'walk' | 'window' {
  if (okAllTime === undefined || !needsVersionTotal(okInWindow, m)) return 'window';
  return (m * okAllTime) / okInWindow < okInWindow ? 'walk' : 'window';
}

/**
 * How many of a version's top latencies (over its whole log) a walk reads, when the backend
 * cannot stop at the m-th row inside the window by itself: enough that, if the window's share
 * of them is its share of all rows, m of them fall in it with a margin of about four standard
 * deviations (so a second, window-scan read is rare); never more than all of them. A walk
 * that finds fewer than min(m, okInWindow) in the window is incomplete and must be redone.
 */
export function walkLength(okInWindow: number, m: number, okAllTime: number): number {
  const share = okInWindow / okAllTime;
  return Math.min(okAllTime, Math.ceil((m + 4 * Math.sqrt(m) + 32) / share));
}
