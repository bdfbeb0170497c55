/**
 * Rough throughput of the serving state's prediction log: batched inserts (one transaction
 * per batch, as the gateway's PredictionLogBuffer does), per-row commits for contrast, and
 * a live-metrics query over the logged window. Prints figures; asserts nothing.
 * Usage: npx tsx scripts/bench/serving-state.ts [rows=200000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteServingState } from '../../src/adapters/serving-state/index.js';
import type { PredictionLogEntry } from '../../src/domain/records/prediction-log-entry.js';

const rows = Number(process.argv[2] ?? 200_000);
const dir = mkdtempSync(join(tmpdir(), 'serving-bench-'));
const T0 = Date.now();
const record = (i: number): PredictionLogEntry => ({
  requestId: `req-${i}`,
  modelId: 'bench',
  version: 1 + (i % 10 === 0 ? 1 : 0),
  arm: i % 10 === 0 ? 'canary' : 'champion',
  features: { x1: Math.random() * 10, x2: Math.random() * 10, x3: Math.random(), region: i % 3 ? 'north' : 'south' },
  prediction: i % 2,
  probability: Math.random(),
  latencyMs: Math.random() * 2,
  atMs: T0 + i,
});

function time(label: string, n: number, fn: () => void): void {
  const t = performance.now();
  fn();
  const ms = performance.now() - t;
  console.log(`${label}: ${n} in ${ms.toFixed(0)} ms = ${Math.round((n / ms) * 1000).toLocaleString('en')} /s`);
}

for (const trusted of [false, true]) {
  const state = new SqliteServingState({ path: join(dir, `serving-${trusted}.db`), trustedWrites: trusted });
  const all = Array.from({ length: rows }, (_, i) => record(i));
  time(`batched inserts (batch 1000, ${trusted ? 'trusted' : 'zod-validated'})`, rows, () => {
    for (let i = 0; i < rows; i += 1000) state.logPredictionsSync(all.slice(i, i + 1000));
  });
  if (!trusted) {
    const n = 2000;
    const single = Array.from({ length: n }, (_, i) => record(rows + i));
    time('one transaction per row (what the buffer avoids)', n, () =>
      single.forEach((r) => state.logPredictionsSync([r])),
    );
    const labels = Array.from({ length: rows / 2 }, (_, i) => ({
      requestId: `req-${i * 2}`,
      label: Math.round(Math.random()),
    }));
    let t = performance.now();
    await state.recordLabels(labels);
    console.log(`labels: ${labels.length} in ${(performance.now() - t).toFixed(0)} ms`);
    t = performance.now();
    const m = await state.readLiveMetrics({ modelId: 'bench', version: 1, fromMs: T0, toMs: T0 + rows });
    console.log(
      `live metrics over ${m.count} rows (${m.labeledCount} labeled): ${(performance.now() - t).toFixed(0)} ms`,
      m,
    );
    t = performance.now();
    const w = await state.readFeatureWindow({ modelId: 'bench', fromMs: T0, toMs: T0 + rows, limit: 50_000 });
    console.log(`feature window of ${w.table.rowCount} rows: ${(performance.now() - t).toFixed(0)} ms`);
  }
  await state.close();
}
rmSync(dir, { recursive: true, force: true });
