import Database from 'better-sqlite3';
import type { LiveMetrics, LiveMetricsQuery, RoutingSpec, RoutingTable } from '../../../domain/records/index.js';
import {
  RoutingConflictError,
  type FeatureWindow,
  type FeatureWindowQuery,
  type LabelRecord,
  type LabelWrite,
  type LoadFailureQuery,
  type ServingStateForGateway,
} from '../serving-state.js';
import { Arm, type PredictionLogEntry } from '../../../domain/records/prediction-log-entry.js';
import type { LoadFailureRecord, LoadFailureSummary } from '../../../domain/rollout/serviceability.js';
import { readFeatureWindow } from './feature-window.js';
import { LoadFailureTable } from './load-failures.js';
import { SqliteAlertClaims } from './sqlite-alert-claims.js';
import type { AlertClaimStore } from '../../../domain/alert-claims.js';
import { queryLiveMetrics } from './live-metrics-query.js';
import { migrateLiveMetricsRollup } from './live-metrics-rollup.js';
import { SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';
import {
  parseLabel,
  parseLiveMetricsQuery,
  parsePrediction,
  parseRoutingSpec,
  routingTableOf,
} from '../serving-input.js';

export interface SqliteServingStateOptions {
  /** Database file, e.g. `.data/serving.db`; `:memory:` for throwaway use. */
  readonly path: string;
  readonly now?: () => Date;
  /** Skip per-record zod parsing on the hot path when the caller already validated (the gateway). */
  readonly trustedWrites?: boolean;
}

/**
 * Serving state in one SQLite file (WAL: readers never block the writer, so a monitor can
 * query while the gateway logs). better-sqlite3 is synchronous; the hot path
 * (`logPredictionsSync`) is one prepared statement in one transaction per batch.
 */
export class SqliteServingState implements ServingStateForGateway {
  readonly db: Database.Database;
  private readonly now: () => Date;
  private readonly insertPrediction: Database.Statement;
  private readonly insertMany: (rows: readonly PredictionLogEntry[], trusted: boolean) => void;
  private readonly writeLabel: Database.Transaction<
    (modelId: string, requestId: string, label: number, atMs: number) => LabelWrite
  >;
  private readonly loadFailures: LoadFailureTable;

  constructor(private readonly opts: SqliteServingStateOptions) {
    this.db = new Database(opts.path);
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a committed batch survives a process crash; only an OS crash can lose the last ones.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA_SQL);
    addPredictionColumns(this.db);
    migrateLiveMetricsRollup(this.db);
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    this.now = opts.now ?? (() => new Date());
    this.loadFailures = new LoadFailureTable(this.db);
    this.insertPrediction = this.db.prepare(
      `INSERT OR IGNORE INTO predictions (request_id, role, model_id, version, features, prediction, probability, latency_ms, ts, error, flags, replica)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertMany = this.db.transaction((rows: readonly PredictionLogEntry[], trusted: boolean) => {
      for (const raw of rows) {
        const e = trusted ? raw : parsePrediction(raw);
        const flags = e.flags && e.flags.length > 0 ? JSON.stringify(e.flags) : null;
        this.insertPrediction.run(
          e.requestId,
          e.arm ?? Arm.champion,
          e.modelId,
          e.version,
          JSON.stringify(e.features),
          e.prediction,
          e.probability ?? null,
          e.latencyMs,
          e.atMs,
          e.error ?? null,
          flags,
          e.replica ?? null,
        );
      }
    });
    this.writeLabel = this.db.transaction(
      (modelId: string, requestId: string, label: number, atMs: number): LabelWrite => {
        const known = this.db
          .prepare(`SELECT 1 FROM predictions WHERE request_id = ? AND model_id = ? LIMIT 1`)
          .get(requestId, modelId);
        if (!known) return { outcome: 'unknownRequest' };
        const existing = this.db.prepare('SELECT label, ts FROM labels WHERE request_id = ?').get(requestId) as
          { label: number; ts: number } | undefined;
        if (existing) return { outcome: 'alreadyLabelled', label: existing.label, atMs: existing.ts };
        this.db.prepare('INSERT INTO labels (request_id, label, ts) VALUES (?, ?, ?)').run(requestId, label, atMs);
        return { outcome: 'stored' };
      },
    );
  }

  /** Synchronous batch insert for the gateway's flush loop. */
  logPredictionsSync(entries: readonly PredictionLogEntry[]): void {
    if (entries.length > 0) this.insertMany(entries, this.opts.trustedWrites === true);
  }

  async logPredictions(entries: readonly PredictionLogEntry[]): Promise<void> {
    this.logPredictionsSync(entries);
  }

  /**
   * The gateway's PredictionLogSink shape (src/serving/gateway-ports.ts): entries are
   * already validated by the gateway, so they go straight to the prepared insert.
   */
  appendPredictions(entries: readonly PredictionLogEntry[]): void {
    if (entries.length > 0) this.insertMany(entries, true);
  }

  /** The version that answered this request of `modelId` (shadow copies aside), or null for an unknown request. */
  findPrediction(modelId: string, requestId: string): { version: number } | null {
    const row = this.db
      .prepare(`SELECT version FROM predictions WHERE request_id = ? AND model_id = ? AND role != 'shadow' LIMIT 1`)
      .get(requestId, modelId) as { version: number } | undefined;
    return row ?? null;
  }

  /**
   * Stores a label when a prediction of `modelId` has this request id and no label yet.
   * One IMMEDIATE transaction, so of two concurrent labels for one request exactly one is
   * stored and the other learns which label stayed.
   */
  recordLabel(modelId: string, requestId: string, label: number, atMs: number): LabelWrite {
    return this.writeLabel.immediate(modelId, requestId, label, atMs);
  }

  getRoutingSync(modelId: string): RoutingTable | null {
    const row = this.db.prepare('SELECT revision, spec, updated_at FROM routing WHERE model_id = ?').get(modelId) as
      { revision: number; spec: string; updated_at: string } | undefined;
    return row ? toTable(modelId, row) : null;
  }

  async getRouting(modelId: string): Promise<RoutingTable | null> {
    return this.getRoutingSync(modelId);
  }

  async setRouting(
    modelId: string,
    routing: RoutingSpec,
    opts: { expectedRevision?: number } = {},
  ): Promise<RoutingTable> {
    const spec = JSON.stringify(parseRoutingSpec(modelId, routing));
    const at = this.now().toISOString();
    // IMMEDIATE: read-check-write under the write lock, so two writers cannot both win a compare-and-set.
    const write = this.db.transaction(() => {
      const current = this.db.prepare('SELECT revision FROM routing WHERE model_id = ?').get(modelId) as
        { revision: number } | undefined;
      const currentRevision = current?.revision ?? 0;
      if (opts.expectedRevision !== undefined && opts.expectedRevision !== currentRevision) {
        throw new RoutingConflictError(modelId, opts.expectedRevision, currentRevision);
      }
      const revision = currentRevision + 1;
      this.db
        .prepare(
          'INSERT INTO routing (model_id, revision, spec, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(model_id) DO UPDATE SET revision = excluded.revision, spec = excluded.spec, updated_at = excluded.updated_at',
        )
        .run(modelId, revision, spec, at);
      this.db
        .prepare('INSERT INTO routing_history (model_id, revision, spec, updated_at) VALUES (?, ?, ?, ?)')
        .run(modelId, revision, spec, at);
      return toTable(modelId, { revision, spec, updated_at: at });
    });
    return write.immediate();
  }

  async listRouting(): Promise<RoutingTable[]> {
    const rows = this.db
      .prepare('SELECT model_id, revision, spec, updated_at FROM routing ORDER BY model_id')
      .all() as {
      model_id: string;
      revision: number;
      spec: string;
      updated_at: string;
    }[];
    return rows.map((r) => toTable(r.model_id, r));
  }

  async routingHistory(modelId: string): Promise<RoutingTable[]> {
    const rows = this.db
      .prepare('SELECT revision, spec, updated_at FROM routing_history WHERE model_id = ? ORDER BY revision')
      .all(modelId) as {
      revision: number;
      spec: string;
      updated_at: string;
    }[];
    return rows.map((r) => toTable(modelId, r));
  }

  async recordLabels(labels: readonly LabelRecord[]): Promise<{ stored: number; alreadyLabelled: number }> {
    // A request that already has a label keeps it: ground truth is written once, never silently replaced.
    const stmt = this.db.prepare(
      'INSERT INTO labels (request_id, label, ts) VALUES (?, ?, ?) ON CONFLICT(request_id) DO NOTHING',
    );
    const nowMs = this.now().getTime();
    const run = this.db.transaction((ls: readonly LabelRecord[]) => {
      let stored = 0;
      for (const raw of ls) {
        const l = parseLabel(raw);
        stored += stmt.run(l.requestId, l.label, l.timeMs ?? nowMs).changes;
      }
      return stored;
    });
    const stored = run(labels);
    return { stored, alreadyLabelled: labels.length - stored };
  }

  async readLiveMetrics(
    query: LiveMetricsQuery & { task?: 'binaryClassification' | 'regression' },
  ): Promise<LiveMetrics> {
    return queryLiveMetrics(this.db, { ...parseLiveMetricsQuery(query), task: query.task ?? 'binaryClassification' });
  }

  async readFeatureWindow(query: FeatureWindowQuery): Promise<FeatureWindow> {
    return readFeatureWindow(this.db, query);
  }

  /** The gateway's LoadFailureSink shape (src/adapters/model-formats/model-loader.ts): synchronous, like its log writes. */
  recordLoadFailureSync(failure: LoadFailureRecord): void {
    this.loadFailures.record(failure);
  }

  async recordLoadFailure(failure: LoadFailureRecord): Promise<void> {
    this.loadFailures.record(failure);
  }

  async readLoadFailures(query: LoadFailureQuery): Promise<LoadFailureSummary | null> {
    return this.loadFailures.read(query);
  }

  alertClaims(): AlertClaimStore {
    return new SqliteAlertClaims(this.db);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Databases created before flags were logged get the column; new ones get it here too (SCHEMA_SQL predates it). */
/** Columns added after the first schema: `flags` (out-of-range values scored), `replica` (who answered). */
function addPredictionColumns(db: Database.Database): void {
  const columns = db.prepare('PRAGMA table_info(predictions)').all() as Array<{ name: string }>;
  for (const name of ['flags', 'replica'])
    if (!columns.some((c) => c.name === name)) db.exec(`ALTER TABLE predictions ADD COLUMN ${name} TEXT`);
}

function toTable(modelId: string, row: { revision: number; spec: string; updated_at: string }): RoutingTable {
  return routingTableOf(modelId, { revision: row.revision, spec: row.spec, updatedAt: row.updated_at });
}
