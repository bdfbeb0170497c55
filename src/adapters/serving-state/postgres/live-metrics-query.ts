import type pg from 'pg';
import type { LiveMetrics, LiveMetricsQuery } from '../../../domain/records/index.js';
import { liveMetricsOf } from '../live-metrics-result.js';
import {
  latencyScan,
  needsVersionTotal,
  p95RankFromTop,
  servedByOf,
  sumByVersion,
  totalOf,
  walkLength,
  windowParts,
  type VersionSums,
} from '../live-metrics-plan.js';
import { RAW_SUMS } from './live-metrics-rollup.js';
import { inTransaction } from './pg-transaction.js';

type Query = LiveMetricsQuery & { task: 'binaryClassification' | 'regression' };

/**
 * Live metrics of a window `[fromMs, toMs)` (see live-metrics-plan.ts for how): counts and
 * errors, the nearest-rank p95 latency of successful predictions, quality over rows whose
 * label has arrived, shadow agreement, and when asked the predictions per gateway replica
 * (`servedBy`). One REPEATABLE READ transaction is one snapshot,
 * so the figures agree with each other even while replicas keep writing.
 */
export function queryLiveMetrics(pool: pg.Pool, q: Query): Promise<LiveMetrics> {
  return inTransaction(pool, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', (c) => readWindow(c, q));
}

async function readWindow(c: pg.PoolClient, q: Query): Promise<LiveMetrics> {
  const version = await versionsOf(c, q);
  const parts = windowParts(q.fromMs, q.toMs);
  const rows: VersionSums[] = [];
  if (parts.buckets) {
    const r = await c.query<VersionSums>(
      `SELECT version, replica, sum(count) AS count, sum(errors) AS errors, sum(labeled) AS labeled,
              sum(correct) AS correct, sum(abs_err) AS "absErr"
       FROM live_metrics_rollup WHERE model_id = $1 AND bucket >= $2 AND bucket < $3 AND version = ANY ($4::integer[])
       GROUP BY version, replica`,
      [q.modelId, ...parts.buckets, version],
    );
    rows.push(...r.rows);
  }
  for (const edge of parts.raw) {
    const r = await c.query<VersionSums>(
      `SELECT p.version, coalesce(p.replica, '') AS replica, ${RAW_SUMS}
       FROM predictions p LEFT JOIN labels l ON l.request_id = p.request_id
       WHERE p.model_id = $1 AND p.ts >= $2 AND p.ts < $3 AND p.version = ANY ($4::integer[])
       GROUP BY 1, 2`,
      [q.modelId, ...edge, version],
    );
    rows.push(...r.rows);
  }
  const versions = sumByVersion(rows);
  const metrics = liveMetricsOf(
    {
      ...totalOf(versions),
      p95: await p95Latency(c, q, versions),
      ...(q.task === 'binaryClassification' ? { shadow: await shadowAgreement(c, q, version) } : {}),
    },
    q.task,
  );
  const servedBy = q.servedBy ? servedByOf(rows) : undefined;
  return servedBy ? { ...metrics, servedBy } : metrics;
}

/**
 * The versions a query reads: the one asked for, or every version the model has logged, found
 * by a skip scan of the rollup's key (one index probe per version). Every read then names its
 * versions, so it ranges over `ts` in the (model, version, ts) indexes instead of reading all
 * of the model's rows for the two partial seconds at a window's edges.
 */
async function versionsOf(c: pg.PoolClient, q: Query): Promise<number[]> {
  if (q.version !== undefined) return [q.version];
  const { rows } = await c.query<{ version: number }>(
    `WITH RECURSIVE v (version) AS (
       SELECT min(version) FROM live_metrics_rollup WHERE model_id = $1
       UNION ALL
       SELECT (SELECT min(version) FROM live_metrics_rollup WHERE model_id = $1 AND version > v.version)
       FROM v WHERE v.version IS NOT NULL)
     SELECT version FROM v WHERE version IS NOT NULL`,
    [q.modelId],
  );
  return rows.map((r) => r.version);
}

/** How one version's top latencies in the window are read: a walk of its `walk` top latencies, or a window scan. */
interface LatencyScan {
  readonly version: number;
  readonly ok: number;
  readonly walk?: number;
}

/**
 * The exact nearest-rank p95 of the window's successful latencies, reading each version's
 * top m only. The plan is chosen here from exact counts, not left to the planner: the window
 * filter inside a walk is a range whose selectivity the planner cannot know, and after
 * ANALYZE it guessed 0.5% of the rows and sorted the whole version instead (254 ms median
 * at 900k rows in bench:serving-state). So a walk reads a fixed number of the version's top
 * latencies (`LIMIT k`: an index-only scan backward of the latency index, whatever the
 * statistics say) and filters the window after it; one that found too few rows in the
 * window is redone as a window scan.
 */
async function p95Latency(c: pg.PoolClient, q: Query, versions: readonly VersionSums[]): Promise<number | null> {
  const ok = versions.map((v) => ({ version: v.version, ok: v.count - v.errors })).filter((v) => v.ok > 0);
  const n = ok.reduce((s, v) => s + v.ok, 0);
  if (n === 0) return null;
  const m = p95RankFromTop(n);
  const scans: LatencyScan[] = [];
  for (const v of ok) {
    const total = needsVersionTotal(v.ok, m)
      ? (
          await c.query<{ n: number }>(
            'SELECT sum(count - errors) AS n FROM live_metrics_rollup WHERE model_id = $1 AND version = $2',
            [q.modelId, v.version],
          )
        ).rows[0]!.n
      : undefined;
    const walk = total !== undefined && latencyScan(v.ok, m, total) === 'walk';
    scans.push(walk ? { ...v, walk: walkLength(v.ok, m, total) } : v);
  }
  const first = await topLatencies(c, q, m, scans);
  const complete = (s: LatencyScan, i: number) => first.found[i] === Math.min(m, s.ok);
  if (scans.every(complete)) return first.p95;
  const redo = scans.map((s, i) => (complete(s, i) ? s : { version: s.version, ok: s.ok }));
  return (await topLatencies(c, q, m, redo)).p95;
}

/**
 * The m-th largest of the union of each version's top m latencies in the window, and how many
 * of those each version's scan found. A walk's `LIMIT k` comes before the window filter, so
 * the planner has only the model, version and order to plan for; a window scan sorts by
 * `latency_ms + 0` so the planner cannot swap in a walk whose length it would have to guess.
 */
async function topLatencies(
  c: pg.PoolClient,
  q: Query,
  m: number,
  scans: readonly LatencyScan[],
): Promise<{ p95: number | null; found: number[] }> {
  const params: unknown[] = [q.modelId, q.fromMs, q.toMs, m];
  const param = (value: unknown) => `$${params.push(value)}`;
  const tops = scans.map((s, i) => {
    const version = param(s.version);
    const rows =
      s.walk === undefined
        ? `predictions WHERE model_id = $1 AND version = ${version} AND error IS NULL AND ts >= $2 AND ts < $3
           ORDER BY latency_ms + 0 DESC`
        : `(SELECT latency_ms, ts FROM predictions WHERE model_id = $1 AND version = ${version} AND error IS NULL
            ORDER BY latency_ms DESC LIMIT ${param(s.walk)}) walked WHERE ts >= $2 AND ts < $3 ORDER BY latency_ms DESC`;
    return `top${i} AS (SELECT latency_ms FROM ${rows} LIMIT $4)`;
  });
  const { rows } = await c.query<{ p95: number | null; found: number[] }>(
    `WITH ${tops.join(', ')}
     SELECT ARRAY[${scans.map((_, i) => `(SELECT count(*) FROM top${i})`).join(', ')}]::integer[] AS found,
            (SELECT latency_ms FROM (${scans.map((_, i) => `SELECT latency_ms FROM top${i}`).join(' UNION ALL ')}) u
             ORDER BY latency_ms DESC OFFSET $4 - 1 LIMIT 1) AS p95`,
    params,
  );
  return rows[0]!;
}

/**
 * For shadow copies in the window: the share whose prediction equals the answer actually
 * served for the same request (a shadow phase judges a candidate on it before labels
 * arrive). Read through the shadow-only index, so a window without shadow copies costs nothing.
 */
async function shadowAgreement(
  c: pg.PoolClient,
  q: Query,
  versions: readonly number[],
): Promise<{ count: number; same: number }> {
  const { rows } = await c.query<{ n: number; same: number }>(
    `SELECT count(*)::integer AS n, count(*) FILTER (WHERE p.prediction = served.prediction)::integer AS same
     FROM predictions p JOIN predictions served
       ON served.request_id = p.request_id AND served.role <> 'shadow' AND served.error IS NULL
     WHERE p.model_id = $1 AND p.role = 'shadow' AND p.ts >= $2 AND p.ts < $3 AND p.error IS NULL
       AND p.version = ANY ($4::integer[])`,
    [q.modelId, q.fromMs, q.toMs, versions],
  );
  return { count: rows[0]!.n, same: rows[0]!.same };
}
