import type { FeatureRow } from '../../domain/model-format/predict.js';
import type { Scorer } from '../../domain/model-format/scorer.js';
import type { Table } from '../../stats/table.js';

/** Turns row `i` of a columnar table into the object a gateway request would carry. */
export function rowAt(table: Table, i: number): FeatureRow {
  const row: Record<string, unknown> = {};
  for (const [name, col] of Object.entries(table.columns)) {
    const v = col.values[i];
    row[name] = col.kind === 'numeric' && typeof v === 'number' && Number.isNaN(v) ? null : v;
  }
  return row;
}

let blackhole = 0;
export const latencyBlackhole = (): number => blackhole;

/**
 * p95 of single-row prediction latency in milliseconds, timed around the same scorer the
 * gateway uses (for ONNX: a session run of one row), after a warm-up so JIT compilation
 * and first-run allocation are not what gets measured.
 */
export async function measureLatencyP95Ms(scorer: Scorer, table: Table, samples = 300): Promise<number> {
  const n = Math.min(samples, table.rowCount);
  if (n === 0) return Number.NaN;
  const rows = Array.from({ length: n }, (_, i) => rowAt(table, i));
  let sink = 0;
  // Awaited only when the format answers asynchronously (ONNX): the linear path is timed as it always was.
  for (let w = 0; w < 3; w++) {
    for (const r of rows) {
      const s = scorer.scoreRow(r);
      sink += typeof s === 'number' ? s : await s;
    }
  }
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const s = scorer.scoreRow(rows[i]!);
    sink += typeof s === 'number' ? s : await s;
    times[i] = performance.now() - t;
  }
  blackhole = sink; // keeps the calls from being optimised away
  times.sort();
  return times[Math.ceil(0.95 * n) - 1]!;
}
