import { ROLLUP_BUCKET_MS } from '../live-metrics-plan.js';

/**
 * The window sums of raw prediction rows `p` joined to their labels `l`: one definition for
 * the rollup's trigger, its backfill and the live-metrics query's partial edges, so a
 * bucket summed from raw rows and one kept by the trigger cannot mean different things.
 * Migration 4 embeds it: change it only with a new migration that replaces the functions.
 */
export const RAW_SUMS = `count(*) AS count,
  count(*) FILTER (WHERE p.error IS NOT NULL) AS errors,
  count(*) FILTER (WHERE p.error IS NULL AND l.label IS NOT NULL) AS labeled,
  count(*) FILTER (WHERE p.error IS NULL AND l.label IS NOT NULL AND p.prediction = l.label) AS correct,
  coalesce(sum(abs(p.prediction - l.label)) FILTER (WHERE p.error IS NULL AND l.label IS NOT NULL), 0) AS "absErr"`;

/** Key of the advisory lock that orders prediction inserts (shared) against label inserts (exclusive). */
export const ROLLUP_LOCK = 7_314_021_002;

const BUCKET_AND_REPLICA = `p.ts - p.ts % ${ROLLUP_BUCKET_MS}, coalesce(p.replica, '')`;
const COLUMNS = 'model_id, version, bucket, replica, count, errors, labeled, correct, abs_err';
// Rows are upserted in key order, so two batches touching the same buckets lock them in the same order.
const ADD = `ORDER BY 1, 2, 3, 4
  ON CONFLICT (model_id, version, bucket, replica) DO UPDATE SET count = r.count + excluded.count,
    errors = r.errors + excluded.errors, labeled = r.labeled + excluded.labeled,
    correct = r.correct + excluded.correct, abs_err = r.abs_err + excluded.abs_err`;

/**
 * Migration 4: per model, version, 1 s bucket and gateway replica, the sums the live metrics need, kept by
 * statement triggers in the inserting transaction, so every writer (a replica of an older
 * release too) keeps it. A label counts for every successful row of its request, whichever
 * arrives first; so that a prediction and its label committed at the same moment by two
 * replicas never miss each other, prediction inserts hold the rollup lock shared and label
 * inserts exclusive, from before their rows go in until commit, and each trigger reads the
 * other table after taking it (a trigger's statements see what committed before them).
 * Writers wait while the migration runs, so no row lands between the backfill and the triggers.
 */
export const LIVE_METRICS_ROLLUP_SQL = `
LOCK TABLE predictions, labels IN SHARE ROW EXCLUSIVE MODE;
CREATE TABLE live_metrics_rollup (
  model_id text NOT NULL,
  version integer NOT NULL,
  bucket bigint NOT NULL,
  replica text NOT NULL, -- '' when the row named no replica
  count bigint NOT NULL,
  errors bigint NOT NULL,
  labeled bigint NOT NULL,
  correct bigint NOT NULL,
  abs_err double precision NOT NULL,
  PRIMARY KEY (model_id, version, bucket, replica)
);
-- The exact p95 walks a version's successful latencies from the top; shadow copies are found without reading the window.
CREATE INDEX predictions_latency ON predictions (model_id, version, latency_ms) INCLUDE (ts) WHERE error IS NULL;
CREATE INDEX predictions_shadow ON predictions (model_id, version, ts) WHERE role = 'shadow';
-- The walk is an index-only scan: it fetches the heap for every entry of a page not yet marked
-- all-visible. Vacuum the insert-only log after every 1% of new rows (default 20%), so the
-- visibility map keeps up with the gateways (a vacuum of an insert-only table reads only new pages).
ALTER TABLE predictions SET (autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_vacuum_insert_threshold = 10000);

CREATE FUNCTION ct_rollup_lock_shared() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_advisory_xact_lock_shared(${ROLLUP_LOCK}); RETURN NULL; END $$;
CREATE FUNCTION ct_rollup_lock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_advisory_xact_lock(${ROLLUP_LOCK}); RETURN NULL; END $$;

CREATE FUNCTION ct_rollup_predictions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO live_metrics_rollup AS r (${COLUMNS})
  SELECT p.model_id, p.version, ${BUCKET_AND_REPLICA}, ${RAW_SUMS}
  FROM new_rows p LEFT JOIN labels l ON l.request_id = p.request_id
  GROUP BY 1, 2, 3, 4
  ${ADD};
  RETURN NULL;
END $$;
CREATE FUNCTION ct_rollup_labels() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO live_metrics_rollup AS r (${COLUMNS})
  SELECT p.model_id, p.version, ${BUCKET_AND_REPLICA}, 0, 0, count(*),
         count(*) FILTER (WHERE p.prediction = l.label), coalesce(sum(abs(p.prediction - l.label)), 0)
  FROM new_labels l JOIN predictions p ON p.request_id = l.request_id
  WHERE p.error IS NULL
  GROUP BY 1, 2, 3, 4
  ${ADD};
  RETURN NULL;
END $$;

CREATE TRIGGER predictions_rollup_lock BEFORE INSERT ON predictions
  FOR EACH STATEMENT EXECUTE FUNCTION ct_rollup_lock_shared();
CREATE TRIGGER predictions_rollup AFTER INSERT ON predictions REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ct_rollup_predictions();
CREATE TRIGGER labels_rollup_lock BEFORE INSERT ON labels
  FOR EACH STATEMENT EXECUTE FUNCTION ct_rollup_lock();
CREATE TRIGGER labels_rollup AFTER INSERT ON labels REFERENCING NEW TABLE AS new_labels
  FOR EACH STATEMENT EXECUTE FUNCTION ct_rollup_labels();

INSERT INTO live_metrics_rollup (${COLUMNS})
SELECT p.model_id, p.version, ${BUCKET_AND_REPLICA}, ${RAW_SUMS}
FROM predictions p LEFT JOIN labels l ON l.request_id = p.request_id
GROUP BY 1, 2, 3, 4;
`;
