import type Database from 'better-sqlite3';
import { ROLLUP_BUCKET_MS } from '../live-metrics-plan.js';

/**
 * The window sums of raw prediction rows `p` joined to their labels `l`: one definition for
 * the rollup's triggers, its backfill and the live-metrics query's partial edges, so a
 * bucket summed from raw rows and one kept by the triggers cannot mean different things.
 */
export const RAW_SUMS = `COUNT(*) AS count,
  SUM(p.error IS NOT NULL) AS errors,
  SUM(l.label IS NOT NULL AND p.error IS NULL) AS labeled,
  COALESCE(SUM(CASE WHEN l.label IS NOT NULL AND p.error IS NULL THEN p.prediction = l.label END), 0) AS correct,
  TOTAL(CASE WHEN l.label IS NOT NULL AND p.error IS NULL THEN ABS(p.prediction - l.label) END) AS absErr`;

const BUCKET = (ts: string) => `${ts} - ${ts} % ${ROLLUP_BUCKET_MS}`;
const COLUMNS = 'model_id, version, bucket, replica, count, errors, labeled, correct, abs_err';
const ADD = `ON CONFLICT (model_id, version, bucket, replica) DO UPDATE SET count = count + excluded.count,
  errors = errors + excluded.errors, labeled = labeled + excluded.labeled, correct = correct + excluded.correct,
  abs_err = abs_err + excluded.abs_err`;

/**
 * v3: per model, version, 1 s bucket and gateway replica, the sums the live metrics need, kept by triggers
 * in the same transaction as the insert (SQLite has one writer at a time, so a prediction
 * and its label never miss each other). A label counts for every successful row of its
 * request, whichever arrives first. The latency index serves the exact p95 from the top;
 * the shadow index finds shadow copies without reading the window.
 */
const ROLLUP_DDL = `
CREATE TABLE IF NOT EXISTS live_metrics_rollup (
  model_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  replica TEXT NOT NULL, -- '' when the row named no replica
  count INTEGER NOT NULL,
  errors INTEGER NOT NULL,
  labeled INTEGER NOT NULL,
  correct INTEGER NOT NULL,
  abs_err REAL NOT NULL,
  PRIMARY KEY (model_id, version, bucket, replica)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS predictions_latency ON predictions (model_id, version, latency_ms, ts) WHERE error IS NULL;
CREATE INDEX IF NOT EXISTS predictions_shadow ON predictions (model_id, version, ts) WHERE role = 'shadow';
CREATE TRIGGER live_metrics_on_prediction AFTER INSERT ON predictions BEGIN
  INSERT INTO live_metrics_rollup (${COLUMNS})
  SELECT NEW.model_id, NEW.version, ${BUCKET('NEW.ts')}, COALESCE(NEW.replica, ''), ${RAW_SUMS}
  FROM (SELECT NEW.request_id AS request_id, NEW.error AS error, NEW.prediction AS prediction) p
  LEFT JOIN labels l ON l.request_id = p.request_id
  WHERE true
  ${ADD};
END;
CREATE TRIGGER live_metrics_on_label AFTER INSERT ON labels BEGIN
  INSERT INTO live_metrics_rollup (${COLUMNS})
  SELECT p.model_id, p.version, ${BUCKET('p.ts')}, COALESCE(p.replica, ''), 0, 0, 1,
         COALESCE(p.prediction = NEW.label, 0), COALESCE(ABS(p.prediction - NEW.label), 0.0)
  FROM predictions p WHERE p.request_id = NEW.request_id AND p.error IS NULL
  ${ADD};
END;
`;

/**
 * Adds the rollup to a database that lacks it and fills it from the rows already logged,
 * in one IMMEDIATE transaction: no insert lands between the backfill and the triggers, and
 * of several processes opening one file at once the first migrates, the rest find it done.
 */
export function migrateLiveMetricsRollup(db: Database.Database): void {
  db.transaction(() => {
    const done = db
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'live_metrics_on_prediction'`)
      .get();
    if (done) return;
    db.exec(ROLLUP_DDL);
    db.exec(`DELETE FROM live_metrics_rollup;
      INSERT INTO live_metrics_rollup (${COLUMNS})
      SELECT p.model_id, p.version, ${BUCKET('p.ts')} AS b, COALESCE(p.replica, '') AS r, ${RAW_SUMS}
      FROM predictions p LEFT JOIN labels l ON l.request_id = p.request_id
      GROUP BY p.model_id, p.version, b, r`);
  }).immediate();
}
