import type pg from 'pg';
import type { LiveMetrics, LiveMetricsQuery } from '../../../domain/records/index.js';
import { liveMetricsOf } from '../live-metrics-result.js';

type Query = LiveMetricsQuery & { task: 'binaryClassification' | 'regression' };

/**
 * Live metrics of a window `[fromMs, toMs)` in one statement: counts and errors from the
 * log, the nearest-rank p95 latency of successful predictions (`percentile_disc`), quality
 * over rows whose label has arrived, and shadow agreement. One statement is one snapshot,
 * so the figures agree with each other even while replicas keep writing.
 */
export async function queryLiveMetrics(db: pg.Pool | pg.PoolClient, q: Query): Promise<LiveMetrics> {
  const { rows } = await db.query<{
    count: number;
    errors: number;
    labeled: number;
    correct: number;
    abs_err: number | null;
    p95: number | null;
    shadow_count: number;
    shadow_same: number;
  }>(
    `WITH w AS (
       SELECT p.request_id, p.role, p.prediction, p.latency_ms, p.error IS NULL AS ok, l.label
       FROM predictions p LEFT JOIN labels l ON l.request_id = p.request_id
       WHERE p.model_id = $1 AND p.ts >= $2 AND p.ts < $3 AND ($4::integer IS NULL OR p.version = $4)
     ),
     s AS (
       SELECT count(*)::integer AS n, count(*) FILTER (WHERE w.prediction = served.prediction)::integer AS same
       FROM w JOIN predictions served
         ON served.request_id = w.request_id AND served.role <> 'shadow' AND served.error IS NULL
       WHERE $5 AND w.role = 'shadow' AND w.ok
     )
     SELECT count(*)::integer AS count,
            count(*) FILTER (WHERE NOT ok)::integer AS errors,
            count(*) FILTER (WHERE ok AND label IS NOT NULL)::integer AS labeled,
            count(*) FILTER (WHERE ok AND label IS NOT NULL AND prediction = label)::integer AS correct,
            sum(abs(prediction - label)) FILTER (WHERE ok AND label IS NOT NULL) AS abs_err,
            percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE ok) AS p95,
            (SELECT n FROM s) AS shadow_count, (SELECT same FROM s) AS shadow_same
     FROM w`,
    [q.modelId, q.fromMs, q.toMs, q.version ?? null, q.task === 'binaryClassification'],
  );
  const r = rows[0]!;
  return liveMetricsOf(
    {
      count: r.count,
      errors: r.errors,
      labeled: r.labeled,
      correct: r.correct,
      absErr: r.abs_err ?? 0,
      p95: r.p95,
      shadow: { count: r.shadow_count, same: r.shadow_same },
    },
    q.task,
  );
}
