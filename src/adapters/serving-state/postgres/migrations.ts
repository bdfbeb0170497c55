/**
 * The PostgreSQL serving schema as versioned migrations, applied in order by
 * {@link migrate} and recorded in `ct_schema_migrations`. Never edit a released entry:
 * append a new version (replicas of an older release keep running on the added columns
 * and tables, so migrations stay additive).
 */
import { LIVE_METRICS_ROLLUP_SQL } from './live-metrics-rollup.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'routing table with revisions, prediction log, delayed labels, load failures',
    sql: `
CREATE TABLE routing (
  model_id text PRIMARY KEY,
  revision integer NOT NULL,
  spec jsonb NOT NULL,
  updated_at text NOT NULL
);
CREATE TABLE routing_history (
  model_id text NOT NULL,
  revision integer NOT NULL,
  spec jsonb NOT NULL,
  updated_at text NOT NULL,
  PRIMARY KEY (model_id, revision)
);
-- No surrogate key: (request_id, role) identifies a row (a retried batch, or a second replica
-- logging the same request, is ignored, not doubled), and every index costs the insert path.
-- Features are json (kept as sent, not re-encoded): only the drift window reads them back.
CREATE TABLE predictions (
  request_id text NOT NULL,
  role text NOT NULL,
  model_id text NOT NULL,
  version integer NOT NULL,
  features json NOT NULL,
  prediction double precision,
  probability double precision,
  latency_ms double precision NOT NULL,
  ts bigint NOT NULL,
  error text,
  flags json,
  PRIMARY KEY (request_id, role)
);
CREATE INDEX predictions_window ON predictions (model_id, version, ts);
CREATE TABLE labels (
  request_id text PRIMARY KEY,
  label double precision NOT NULL,
  ts bigint NOT NULL
);
CREATE TABLE load_failures (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  model_id text NOT NULL,
  version integer NOT NULL,
  kind text NOT NULL,
  message text NOT NULL,
  ts bigint NOT NULL
);
CREATE INDEX load_failures_window ON load_failures (model_id, version, ts);
`,
  },
  {
    version: 2,
    name: 'alert claims shared by webhook replicas (de-dup and replay guard)',
    sql: `
CREATE TABLE alert_claims (
  key text PRIMARY KEY,
  until_ms bigint NOT NULL
);
CREATE INDEX alert_claims_until ON alert_claims (until_ms);
`,
  },
  {
    version: 3,
    name: 'the gateway replica that answered each prediction',
    sql: `ALTER TABLE predictions ADD COLUMN replica text;`,
  },
  {
    version: 4,
    name: 'live-metrics rollup per model, version, 1 s bucket and replica (backfilled), latency and shadow indexes',
    sql: LIVE_METRICS_ROLLUP_SQL,
  },
];
