/**
 * DDL of the serving database. Versioned by `user_version` so later changes can migrate.
 * v3 added the live-metrics rollup (live-metrics-rollup.ts, applied after this).
 */
export const SCHEMA_VERSION = 3;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS routing (
  model_id TEXT PRIMARY KEY,
  revision INTEGER NOT NULL,
  spec TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS routing_history (
  model_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  spec TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (model_id, revision)
);
CREATE TABLE IF NOT EXISTS predictions (
  id INTEGER PRIMARY KEY,
  request_id TEXT NOT NULL,
  role TEXT NOT NULL,
  model_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  features TEXT NOT NULL,
  prediction REAL,
  probability REAL,
  latency_ms REAL NOT NULL,
  ts INTEGER NOT NULL,
  error TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS predictions_request ON predictions (request_id, role);
CREATE INDEX IF NOT EXISTS predictions_window ON predictions (model_id, ts, version);
-- v2: one row per failed attempt of a gateway to load a version (at most one per retry interval).
CREATE TABLE IF NOT EXISTS load_failures (
  id INTEGER PRIMARY KEY,
  model_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  kind TEXT NOT NULL,
  message TEXT NOT NULL,
  ts INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS load_failures_window ON load_failures (model_id, version, ts);
CREATE TABLE IF NOT EXISTS labels (
  request_id TEXT PRIMARY KEY,
  label REAL NOT NULL,
  ts INTEGER NOT NULL
);
`;
