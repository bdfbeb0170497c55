import type Database from 'better-sqlite3';
import type { LiveMetrics, LiveMetricsQuery } from '../../../domain/records/index.js';
import { liveMetricsOf } from '../live-metrics-result.js';

type Query = LiveMetricsQuery & { task: 'binaryClassification' | 'regression' };

/**
 * Live metrics of a window `[fromMs, toMs)`: request counts and errors from the log,
 * latency p95 over successful predictions, quality over the rows whose label has arrived.
 */
export function queryLiveMetrics(db: Database.Database, q: Query): LiveMetrics {
  const where = `p.model_id = @modelId AND p.ts >= @fromMs AND p.ts < @toMs${q.version === undefined ? '' : ' AND p.version = @version'}`;
  const params = {
    modelId: q.modelId,
    fromMs: q.fromMs,
    toMs: q.toMs,
    ...(q.version === undefined ? {} : { version: q.version }),
  };
  const agg = db
    .prepare(
      `SELECT COUNT(*) AS count,
              SUM(p.error IS NOT NULL) AS errors,
              SUM(p.error IS NULL) AS ok,
              SUM(l.label IS NOT NULL AND p.error IS NULL) AS labeled,
              SUM(CASE WHEN l.label IS NOT NULL AND p.error IS NULL THEN (p.prediction = l.label) END) AS correct,
              SUM(CASE WHEN l.label IS NOT NULL AND p.error IS NULL THEN ABS(p.prediction - l.label) END) AS absErr
       FROM predictions p LEFT JOIN labels l ON l.request_id = p.request_id
       WHERE ${where}`,
    )
    .get(params) as {
    count: number;
    errors: number | null;
    ok: number | null;
    labeled: number | null;
    correct: number | null;
    absErr: number | null;
  };
  const ok = agg.ok ?? 0;
  let p95: number | null = null;
  if (ok > 0) {
    // Nearest-rank p95: the ceil(0.95 n)-th smallest latency.
    const offset = Math.ceil(0.95 * ok) - 1;
    const row = db
      .prepare(
        `SELECT p.latency_ms AS v FROM predictions p WHERE ${where} AND p.error IS NULL ORDER BY p.latency_ms LIMIT 1 OFFSET @offset`,
      )
      .get({ ...params, offset }) as { v: number } | undefined;
    p95 = row?.v ?? null;
  }
  return liveMetricsOf(
    {
      count: agg.count,
      errors: agg.errors ?? 0,
      labeled: agg.labeled ?? 0,
      correct: agg.correct ?? 0,
      absErr: agg.absErr ?? 0,
      p95,
      ...(q.task === 'binaryClassification' ? { shadow: shadowAgreement(db, where, params) } : {}),
    },
    q.task,
  );
}

/**
 * For shadow copies in the window: the share whose prediction equals the answer actually
 * served for the same request. A shadow phase judges a candidate on this before it gets
 * live traffic, when no label has arrived yet.
 */
function shadowAgreement(
  db: Database.Database,
  where: string,
  params: Record<string, unknown>,
): { count: number; same: number } {
  const row = db
    .prepare(
      `SELECT COUNT(*) AS n, SUM(p.prediction = s.prediction) AS same
       FROM predictions p JOIN predictions s ON s.request_id = p.request_id AND s.role != 'shadow' AND s.error IS NULL
       WHERE ${where} AND p.role = 'shadow' AND p.error IS NULL`,
    )
    .get(params) as { n: number; same: number | null };
  return { count: row.n, same: row.same ?? 0 };
}
