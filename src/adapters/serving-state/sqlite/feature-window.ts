import type Database from 'better-sqlite3';
import { featureWindowOf } from '../feature-window-table.js';
import type { FeatureWindow, FeatureWindowQuery } from '../serving-state.js';

type Row = {
  features: string;
  prediction: number | null;
  probability: number | null;
  label: number | null;
  version: number;
};

/** Logged requests of a window (not shadow copies, not failures) as columns for drift checks. */
export function readFeatureWindow(db: Database.Database, q: FeatureWindowQuery): FeatureWindow {
  const versionClause = q.version === undefined ? '' : ' AND p.version = @version';
  const rows = db
    .prepare(
      `SELECT p.features, p.prediction, p.probability, l.label, p.version FROM predictions p LEFT JOIN labels l ON l.request_id = p.request_id
       WHERE p.model_id = @modelId AND p.ts >= @fromMs AND p.ts < @toMs AND p.role != 'shadow' AND p.error IS NULL${versionClause}
       ORDER BY p.ts DESC, p.id DESC LIMIT @limit`,
    )
    .all({
      modelId: q.modelId,
      fromMs: q.fromMs,
      toMs: q.toMs,
      limit: q.limit ?? 100_000,
      ...(q.version === undefined ? {} : { version: q.version }),
    }) as Row[];
  rows.reverse(); // oldest first, like a dataset
  return featureWindowOf(
    rows.map((r) => ({ ...r, features: JSON.parse(r.features) as Record<string, unknown> })),
    q.columns,
  );
}
