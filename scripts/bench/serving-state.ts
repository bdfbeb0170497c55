/**
 * Throughput of the serving state's prediction log, SQLite (the embedded default, always
 * run as the baseline) beside PostgreSQL: batched inserts (one transaction per batch, as
 * the gateway's group commit writes), labels for half the rows, then the live-metrics
 * query the rollout guards and the monitor run, over a window holding every logged row.
 * Prints figures next to the load average; asserts nothing.
 * Usage: npm run bench:serving-state -- [--backend sqlite|postgres] [--rows 1000000] [--batch 1000]
 * (PostgreSQL runs on a private cluster started for the run, durable settings: fsync on.)
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
import type { PredictionLogEntry } from '../../src/domain/records/prediction-log-entry.js';
import { startTempPostgresCluster } from '../../src/local-server/postgres-cluster.js';

const { values } = parseArgs({
  options: { backend: { type: 'string', default: 'sqlite' }, rows: { type: 'string' }, batch: { type: 'string' } },
});
const opts = z
  .object({
    backend: z.enum(['sqlite', 'postgres']),
    rows: z.coerce.number().int().min(10_000).default(1_000_000),
    batch: z.coerce.number().int().min(1).default(1000),
  })
  .parse(values);

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
const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en')} /s`;

async function bench(name: string, state: ServingStateForGateway): Promise<void> {
  console.log(`\n== ${name}: ${opts.rows.toLocaleString('en')} rows, batches of ${opts.batch} (${load()})`);
  let t = performance.now();
  for (let i = 0; i < opts.rows; i += opts.batch) {
    const batch = Array.from({ length: Math.min(opts.batch, opts.rows - i) }, (_, j) => record(i + j));
    await state.appendPredictions(batch);
  }
  const ms = performance.now() - t;
  console.log(`${name} batched inserts: ${opts.rows} in ${ms.toFixed(0)} ms = ${rate(opts.rows, ms)} (${load()})`);
  const labels = Array.from({ length: opts.rows / 2 }, (_, i) => ({
    requestId: `req-${i * 2}`,
    label: Math.round(Math.random()),
  }));
  t = performance.now();
  for (let i = 0; i < labels.length; i += 10_000) await state.recordLabels(labels.slice(i, i + 10_000));
  console.log(`${name} labels: ${labels.length} in ${(performance.now() - t).toFixed(0)} ms`);
  for (const version of [undefined, 1]) {
    const times: number[] = [];
    let m;
    for (let run = 0; run < 3; run++) {
      t = performance.now();
      m = await state.readLiveMetrics({
        modelId: 'bench',
        ...(version ? { version } : {}),
        fromMs: T0,
        toMs: T0 + opts.rows,
      });
      times.push(performance.now() - t);
    }
    console.log(
      `${name} live metrics (${version ? `version ${version}` : 'all versions'}) over ${m!.count} rows (${m!.labeledCount} labeled): ` +
        `${times.map((x) => x.toFixed(0)).join(' / ')} ms (3 runs; ${load()})`,
    );
  }
  t = performance.now();
  const last5min = await state.readLiveMetrics({
    modelId: 'bench',
    version: 1,
    fromMs: T0 + opts.rows - 300_000,
    toMs: T0 + opts.rows,
  });
  console.log(
    `${name} live metrics over the last 5 min (${last5min.count} rows): ${(performance.now() - t).toFixed(0)} ms`,
  );
  t = performance.now();
  const w = await state.readFeatureWindow({ modelId: 'bench', fromMs: T0, toMs: T0 + opts.rows, limit: 50_000 });
  console.log(`${name} feature window of ${w.table.rowCount} rows: ${(performance.now() - t).toFixed(0)} ms`);
}

const dir = mkdtempSync(join(tmpdir(), 'serving-bench-'));
try {
  const sqlite = new SqliteServingState({ path: join(dir, 'serving.db'), trustedWrites: true });
  await bench('SQLite', sqlite).finally(() => sqlite.close());
  if (opts.backend === 'postgres') {
    const cluster = await startTempPostgresCluster({ prefix: 'ct-pg-bench-', settings: { fsync: 'on' } });
    try {
      const pg = await PostgresServingState.open({ url: await cluster.createDatabase('bench'), trustedWrites: true });
      await bench('PostgreSQL', pg).finally(() => pg.close());
    } finally {
      await cluster.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
