import type Database from 'better-sqlite3';
import type { LiveMetricsQuery } from '../../../domain/records/index.js';

/**
 * Predictions of a live-metrics window per gateway replica that answered them (rows logged
 * without a replica id are not counted), or undefined when no row names one.
 */
export function queryServedBy(db: Database.Database, q: LiveMetricsQuery): Record<string, number> | undefined {
  const rows = db
    .prepare(
      `SELECT replica, COUNT(*) AS n FROM predictions
       WHERE model_id = ? AND ts >= ? AND ts < ? AND (? IS NULL OR version = ?) AND replica IS NOT NULL
       GROUP BY replica ORDER BY replica`,
    )
    .all(q.modelId, q.fromMs, q.toMs, q.version ?? null, q.version ?? null) as Array<{ replica: string; n: number }>;
  return rows.length > 0 ? Object.fromEntries(rows.map((r) => [r.replica, r.n])) : undefined;
}
