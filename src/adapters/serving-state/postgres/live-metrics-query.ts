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
  const version = q.version ?? null;
  const parts = windowParts(q.fromMs, q.toMs);
  const rows: VersionSums[] = [];
  if (parts.buckets) {
    const r = await c.query<VersionSums>(
      `SELECT version, replica, sum(count) AS count, sum(errors) AS errors, sum(labeled) AS labeled,
              sum(correct) AS correct, sum(abs_err) AS "absErr"
       FROM live_metrics_rollup WHERE model_id = $1 AND bucket >= $2 AND bucket < $3 AND ($4::integer IS NULL OR version = $4)
       GROUP BY version, replica`,
      [q.modelId, ...parts.buckets, version],
    );
    rows.push(...r.rows);
  }
  for (const edge of parts.raw) {
    const r = await c.query<VersionSums>(
      `SELECT p.version, coalesce(p.replica, '') AS replica, ${RAW_SUMS}
       FROM predictions p LEFT JOIN labels l ON l.request_id = p.request_id
       WHERE p.model_id = $1 AND p.ts >= $2 AND p.ts < $3 AND ($4::integer IS NULL OR p.version = $4)
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
      ...(q.task === 'binaryClassification' ? { shadow: await shadowAgreement(c, q) } : {}),
    },
    q.task,
  );
  const servedBy = q.servedBy ? servedByOf(rows) : undefined;
  return servedBy ? { ...metrics, servedBy } : metrics;
}

/**
 * The exact nearest-rank p95 of the window's successful latencies, reading each version's
 * top m only. A walk orders by the latency index and filters the window on its included
 * `ts` (written `ts + 0` so the planner cannot swap in the time index); a window scan sorts
 * by `latency_ms + 0` so it cannot swap in the walk.
 */
async function p95Latency(c: pg.PoolClient, q: Query, versions: readonly VersionSums[]): Promise<number | null> {
  const ok = versions.map((v) => ({ version: v.version, ok: v.count - v.errors })).filter((v) => v.ok > 0);
  const n = ok.reduce((s, v) => s + v.ok, 0);
  if (n === 0) return null;
  const m = p95RankFromTop(n);
  const params: unknown[] = [q.modelId, q.fromMs, q.toMs, m];
  const parts: string[] = [];
  for (const v of ok) {
    const total = needsVersionTotal(v.ok, m)
      ? (
          await c.query<{ n: number }>(
            'SELECT sum(count - errors) AS n FROM live_metrics_rollup WHERE model_id = $1 AND version = $2',
            [q.modelId, v.version],
          )
        ).rows[0]!.n
      : undefined;
    params.push(v.version);
    const walk = latencyScan(v.ok, m, total) === 'walk';
    parts.push(
      `SELECT latency_ms FROM predictions
        WHERE model_id = $1 AND version = $${params.length} AND error IS NULL
          AND ${walk ? 'ts + 0' : 'ts'} >= $2 AND ${walk ? 'ts + 0' : 'ts'} < $3
        ORDER BY ${walk ? 'latency_ms' : 'latency_ms + 0'} DESC`,
    );
  }
  // One version: its m-th largest. Several: the m-th largest of the union of each one's top m.
  const sql =
    parts.length === 1
      ? `${parts[0]} OFFSET $4 - 1 LIMIT 1`
      : `SELECT latency_ms FROM (${parts.map((p) => `(${p} LIMIT $4)`).join(' UNION ALL ')}) top
         ORDER BY latency_ms DESC OFFSET $4 - 1 LIMIT 1`;
  const { rows } = await c.query<{ latency_ms: number }>(sql, params);
  return rows[0]?.latency_ms ?? null;
}

/**
 * For shadow copies in the window: the share whose prediction equals the answer actually
 * served for the same request (a shadow phase judges a candidate on it before labels
 * arrive). Read through the shadow-only index, so a window without shadow copies costs nothing.
 */
async function shadowAgreement(c: pg.PoolClient, q: Query): Promise<{ count: number; same: number }> {
  const { rows } = await c.query<{ n: number; same: number }>(
    `SELECT count(*)::integer AS n, count(*) FILTER (WHERE p.prediction = served.prediction)::integer AS same
     FROM predictions p JOIN predictions served
       ON served.request_id = p.request_id AND served.role <> 'shadow' AND served.error IS NULL
     WHERE p.model_id = $1 AND p.role = 'shadow' AND p.ts >= $2 AND p.ts < $3 AND p.error IS NULL
       AND ($4::integer IS NULL OR p.version = $4)`,
    [q.modelId, q.fromMs, q.toMs, q.version ?? null],
  );
  return { count: rows[0]!.n, same: rows[0]!.same };
}
