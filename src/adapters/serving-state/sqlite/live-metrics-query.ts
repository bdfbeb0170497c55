import type Database from 'better-sqlite3';
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
  type TimeRange,
  type VersionSums,
} from '../live-metrics-plan.js';
import { RAW_SUMS } from './live-metrics-rollup.js';

type Query = LiveMetricsQuery & { task: 'binaryClassification' | 'regression' };

/**
 * Live metrics of a window `[fromMs, toMs)` (see live-metrics-plan.ts for how): request
 * counts and errors, the nearest-rank p95 latency of successful predictions, quality over
 * the rows whose label has arrived, shadow agreement, and when asked the predictions per
 * gateway replica (`servedBy`). One read transaction, so every
 * figure comes from the same snapshot while a gateway keeps writing.
 */
export function queryLiveMetrics(db: Database.Database, q: Query): LiveMetrics {
  return db.transaction(() => readWindow(db, q))();
}

function readWindow(db: Database.Database, q: Query): LiveMetrics {
  const only = (column: string) => (q.version === undefined ? '' : ` AND ${column} = @version`);
  const base = { modelId: q.modelId, ...(q.version === undefined ? {} : { version: q.version }) };
  const parts = windowParts(q.fromMs, q.toMs);
  const rows: VersionSums[] = [];
  if (parts.buckets) {
    rows.push(
      ...(db
        .prepare(
          `SELECT version, replica, SUM(count) AS count, SUM(errors) AS errors, SUM(labeled) AS labeled,
                  SUM(correct) AS correct, TOTAL(abs_err) AS absErr
           FROM live_metrics_rollup WHERE model_id = @modelId AND bucket >= @fromMs AND bucket < @toMs${only('version')}
           GROUP BY version, replica`,
        )
        .all({ ...base, ...range(parts.buckets) }) as VersionSums[]),
    );
  }
  const raw = db.prepare(
    `SELECT p.version AS version, COALESCE(p.replica, '') AS replica, ${RAW_SUMS}
     FROM predictions p LEFT JOIN labels l ON l.request_id = p.request_id
     WHERE p.model_id = @modelId AND p.ts >= @fromMs AND p.ts < @toMs${only('p.version')}
     GROUP BY p.version, replica`,
  );
  for (const r of parts.raw) rows.push(...(raw.all({ ...base, ...range(r) }) as VersionSums[]));
  const versions = sumByVersion(rows);
  const metrics = liveMetricsOf(
    {
      ...totalOf(versions),
      p95: p95Latency(db, q, versions),
      ...(q.task === 'binaryClassification' ? { shadow: shadowAgreement(db, base, only('p.version'), q) } : {}),
    },
    q.task,
  );
  const servedBy = q.servedBy ? servedByOf(rows) : undefined;
  return servedBy ? { ...metrics, servedBy } : metrics;
}

const range = ([fromMs, toMs]: TimeRange) => ({ fromMs, toMs });

/** The exact nearest-rank p95 of the window's successful latencies, reading each version's top m only. */
function p95Latency(db: Database.Database, q: Query, versions: readonly VersionSums[]): number | null {
  const ok = versions.map((v) => ({ version: v.version, ok: v.count - v.errors })).filter((v) => v.ok > 0);
  const n = ok.reduce((s, v) => s + v.ok, 0);
  if (n === 0) return null;
  const m = p95RankFromTop(n);
  const allTime = db.prepare(
    'SELECT TOTAL(count - errors) AS n FROM live_metrics_rollup WHERE model_id = ? AND version = ?',
  );
  const parts = ok.map((v) => {
    const total = needsVersionTotal(v.ok, m) ? (allTime.get(q.modelId, v.version) as { n: number }).n : undefined;
    const index = latencyScan(v.ok, m, total) === 'walk' ? 'predictions_latency' : 'predictions_window';
    return {
      sql: `SELECT latency_ms AS v FROM predictions INDEXED BY ${index}
            WHERE model_id = ? AND version = ? AND error IS NULL AND ts >= ? AND ts < ? ORDER BY latency_ms DESC`,
      params: [q.modelId, v.version, q.fromMs, q.toMs],
    };
  });
  const sql =
    parts.length === 1
      ? `${parts[0]!.sql} LIMIT 1 OFFSET ?`
      : `SELECT v FROM (${parts.map((p) => `SELECT v FROM (${p.sql} LIMIT ?)`).join(' UNION ALL ')})
         ORDER BY v DESC LIMIT 1 OFFSET ?`;
  const params = parts.length === 1 ? parts[0]!.params : parts.flatMap((p) => [...p.params, m]);
  const row = db.prepare(sql).get(...params, m - 1) as { v: number } | undefined;
  return row?.v ?? null;
}

/**
 * For shadow copies in the window: the share whose prediction equals the answer actually
 * served for the same request. A shadow phase judges a candidate on this before it gets
 * live traffic, when no label has arrived yet. Read through the shadow-only index, so a
 * window without shadow copies costs nothing.
 */
function shadowAgreement(
  db: Database.Database,
  base: Record<string, unknown>,
  onlyVersion: string,
  q: Query,
): { count: number; same: number } {
  const row = db
    .prepare(
      `SELECT COUNT(*) AS n, SUM(p.prediction = s.prediction) AS same
       FROM predictions p INDEXED BY predictions_shadow
       JOIN predictions s ON s.request_id = p.request_id AND s.role != 'shadow' AND s.error IS NULL
       WHERE p.model_id = @modelId AND p.role = 'shadow' AND p.ts >= @fromMs AND p.ts < @toMs
         AND p.error IS NULL${onlyVersion}`,
    )
    .get({ ...base, fromMs: q.fromMs, toMs: q.toMs }) as {
    n: number;
    same: number | null;
  };
  return { count: row.n, same: row.same ?? 0 };
}
