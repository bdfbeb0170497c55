import type pg from 'pg';
import type { LiveMetricsQuery } from '../../../domain/records/index.js';

/**
 * Predictions of a live-metrics window per gateway replica that answered them (rows logged
 * without a replica id are not counted), or undefined when no row names one. Asked for by
 * the rollout only, so the live-metrics query itself stays one statement over the window.
 */
export async function queryServedBy(
  db: pg.Pool | pg.PoolClient,
  q: LiveMetricsQuery,
): Promise<Record<string, number> | undefined> {
  const { rows } = await db.query<{ replica: string; n: number }>(
    `SELECT replica, count(*)::integer AS n FROM predictions
     WHERE model_id = $1 AND ts >= $2 AND ts < $3 AND ($4::integer IS NULL OR version = $4) AND replica IS NOT NULL
     GROUP BY replica ORDER BY replica`,
    [q.modelId, q.fromMs, q.toMs, q.version ?? null],
  );
  return rows.length > 0 ? Object.fromEntries(rows.map((r) => [r.replica, r.n])) : undefined;
}
