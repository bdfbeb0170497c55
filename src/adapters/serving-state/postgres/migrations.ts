/**
 * The PostgreSQL serving schema as versioned migrations, applied in order by
 * {@link migrate} and recorded in `ct_schema_migrations`. Never edit a released entry:
 * append a new version (replicas of an older release keep running on the added columns
 * and tables, so migrations stay additive).
 */
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
CREATE TABLE predictions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  request_id text NOT NULL,
  role text NOT NULL,
  model_id text NOT NULL,
  version integer NOT NULL,
  features jsonb NOT NULL,
  prediction double precision,
  probability double precision,
  latency_ms double precision NOT NULL,
  ts bigint NOT NULL,
  error text,
  flags jsonb
);
-- A retried batch (or a second replica logging the same request) is ignored, not doubled.
CREATE UNIQUE INDEX predictions_request ON predictions (request_id, role);
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
];
