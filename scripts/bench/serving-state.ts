/**
 * The serving state's prediction log at 1M rows: SQLite (the embedded default, always run
 * first as the baseline) and, with `--backend postgres`, PostgreSQL in the same run on a
 * private cluster started for it (127.0.0.1, a free port, a data dir under the temp dir,
 * fsync on; stopped and removed at the end).
 *
 * Per backend: batched inserts (one transaction per batch, as the gateway's group commit
 * writes; two replicas' names on the rows), labels for half the rows, then the live-metrics
 * queries the rollout (a version since the phase started, with per-replica counts) and the
 * monitor (a recent window) run, each several times: median and p95 of the runs. Figures
 * are printed next to the load average; it asserts nothing but that both backends agree.
 * Usage: npm run bench:serving-state -- [--backend sqlite|postgres] [--rows 1000000] [--batch 1000] [--runs 20]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  PostgresServingState,
  SqliteServingState,
  type ServingStateForGateway,
} from '../../src/adapters/serving-state/index.js';
import type { LiveMetrics, LiveMetricsQuery } from '../../src/domain/records/index.js';
import type { PredictionLogEntry } from '../../src/domain/records/prediction-log-entry.js';
import { startTempPostgresCluster } from '../../src/local-server/postgres-cluster.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'sqlite' },
    rows: { type: 'string' },
    batch: { type: 'string' },
    runs: { type: 'string' },
  },
});
const opts = z
  .object({
    backend: z.enum(['sqlite', 'postgres']),
    rows: z.coerce.number().int().min(10_000).default(1_000_000),
    batch: z.coerce.number().int().min(1).default(1000),
    runs: z.coerce.number().int().min(1).default(20),
  })
  .parse(values);

// One row per millisecond from a bucket-unaligned start: 1,000 predictions/s, so 1M rows span 16.7 minutes.
const T0 = Date.parse('2026-11-30T12:00:00.000Z') + 3_217;
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
  replica: i % 2 ? 'gw-a' : 'gw-b',
  ...(i % 500 === 7 ? { error: 'model crashed', prediction: null, probability: null } : {}),
});
const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en')}/s`;
/** Nearest-rank percentile of a few timings. */
const pct = (xs: readonly number[], p: number) => [...xs].sort((a, b) => a - b)[Math.ceil(p * xs.length) - 1]!;

type Window = { label: string; query: LiveMetricsQuery };
const windows = (): Window[] => {
  const end = T0 + opts.rows;
  return [
    {
      label: 'rollout: version 1 over the whole log, servedBy',
      query: { modelId: 'bench', version: 1, fromMs: T0, toMs: end, servedBy: true },
    },
    { label: 'all versions over the whole log', query: { modelId: 'bench', fromMs: T0, toMs: end } },
    {
      label: 'monitor: version 1, last 5 min',
      query: { modelId: 'bench', version: 1, fromMs: end - 300_000, toMs: end },
    },
    {
      label: 'version 2, a 7 min window mid-log',
      query: { modelId: 'bench', version: 2, fromMs: T0 + 123_457, toMs: T0 + 543_211 },
    },
  ];
};

/**
 * Times the live-metrics query of window `w` over `runs` runs: median and p95 (nearest rank).
 */
async function timeQuery(state: ServingStateForGateway, w: Window, runs: number) {
  const times: number[] = [];
  let m: LiveMetrics | undefined;
  for (let run = 0; run < runs; run++) {
    const t = performance.now();
    m = await state.readLiveMetrics(w.query);
    times.push(performance.now() - t);
  }
  const figures = `median ${pct(times, 0.5).toFixed(1)} ms, p95 ${pct(times, 0.95).toFixed(1)} ms over ${runs} runs`;
  return { m: m!, figures };
}

/**
 * Before the timed queries, PostgreSQL gets what autovacuum does on its own within a
 * minute or so of a bulk load (the migration tunes it to every 1% of new rows): the
 * visibility map the p95's index-only walk relies on. The rollout query is timed before
 * it too, so both figures are printed.
 */
async function settle(name: string, state: ServingStateForGateway): Promise<void> {
  if (!(state instanceof PostgresServingState)) return;
  const fresh = await timeQuery(state, windows()[0]!, 3);
  console.log(`${name} live metrics, ${windows()[0]!.label}, right after the load: ${fresh.figures} (${load()})`);
  const t = performance.now();
  await state.pool.query('VACUUM (ANALYZE) predictions');
  console.log(`${name} VACUUM (ANALYZE) predictions: ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

async function bench(name: string, state: ServingStateForGateway): Promise<LiveMetrics[]> {
  console.log(`\n== ${name}: ${opts.rows.toLocaleString('en')} rows, batches of ${opts.batch} (${load()})`);
  const progressEvery = Math.max(opts.batch, Math.round(opts.rows / 10 / opts.batch) * opts.batch);
  const start = performance.now();
  for (let i = 0; i < opts.rows; i += opts.batch) {
    const batch = Array.from({ length: Math.min(opts.batch, opts.rows - i) }, (_, j) => record(i + j));
    await state.appendPredictions(batch);
    const done = i + batch.length;
    if (done % progressEvery === 0 && done < opts.rows) {
      console.log(`  ${name}: ${done.toLocaleString('en')} rows, ${rate(done, performance.now() - start)} (${load()})`);
    }
  }
  const ms = performance.now() - start;
  console.log(
    `${name} batched inserts: ${opts.rows.toLocaleString('en')} in ${(ms / 1000).toFixed(1)} s = ${rate(opts.rows, ms)} (${load()})`,
  );
  const labels = Array.from({ length: Math.floor(opts.rows / 2) }, (_, i) => ({
    requestId: `req-${i * 2}`,
    label: Math.round(Math.random()),
  }));
  let t = performance.now();
  for (let i = 0; i < labels.length; i += 10_000) await state.recordLabels(labels.slice(i, i + 10_000));
  const labelMs = performance.now() - t;
  console.log(
    `${name} labels: ${labels.length.toLocaleString('en')} in ${(labelMs / 1000).toFixed(1)} s = ${rate(labels.length, labelMs)}`,
  );
  await settle(name, state);
  const results: LiveMetrics[] = [];
  for (const w of windows()) {
    const { m, figures } = await timeQuery(state, w, opts.runs);
    results.push(m);
    console.log(
      `${name} live metrics, ${w.label} (${m.count.toLocaleString('en')} rows, ${m.labeledCount.toLocaleString('en')} labelled): ` +
        `${figures} (${load()})`,
    );
  }
  t = performance.now();
  const f = await state.readFeatureWindow({ modelId: 'bench', fromMs: T0, toMs: T0 + opts.rows, limit: 50_000 });
  console.log(`${name} feature window of ${f.table.rowCount} rows: ${(performance.now() - t).toFixed(0)} ms`);
  return results;
}

const dir = mkdtempSync(join(tmpdir(), 'serving-bench-'));
try {
  const sqlite = new SqliteServingState({ path: join(dir, 'serving.db'), trustedWrites: true });
  const baseline = await bench('SQLite', sqlite).finally(() => sqlite.close());
  if (opts.backend === 'postgres') {
    const cluster = await startTempPostgresCluster({ prefix: 'ct-pg-bench-', settings: { fsync: 'on' } });
    try {
      const pg = await PostgresServingState.open({ url: await cluster.createDatabase('bench'), trustedWrites: true });
      const results = await bench('PostgreSQL', pg).finally(() => pg.close());
      // Same rows, same semantics: the two backends must answer alike (labels and features are random per backend).
      const counts = (ms: LiveMetrics[]) => ms.map((m) => [m.count, m.labeledCount, m.errorRate, m.servedBy]);
      if (JSON.stringify(counts(results)) !== JSON.stringify(counts(baseline))) {
        throw new Error(`SQLite and PostgreSQL disagree: ${JSON.stringify([counts(baseline), counts(results)])}`);
      }
      console.log('\nSQLite and PostgreSQL agree on every window (counts, labelled, error rate, servedBy).');
    } finally {
      await cluster.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
