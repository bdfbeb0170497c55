import { predict, type FeatureRow, type LinearModel } from '../../domain/model-format/index.js';
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
 * gateway uses, after a warm-up so JIT compilation is not what gets measured.
 */
export function measureLatencyP95Ms(model: LinearModel, table: Table, samples = 300): number {
  const n = Math.min(samples, table.rowCount);
  if (n === 0) return Number.NaN;
  const rows = Array.from({ length: n }, (_, i) => rowAt(table, i));
  let sink = 0;
  for (let w = 0; w < 3; w++) for (const r of rows) sink += predict(model, r);
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    sink += predict(model, rows[i]!);
    times[i] = performance.now() - t;
  }
  blackhole = sink; // keeps the calls from being optimised away
  times.sort();
  return times[Math.ceil(0.95 * n) - 1]!;
}
