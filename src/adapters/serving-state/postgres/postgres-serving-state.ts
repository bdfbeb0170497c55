import pg from 'pg';
import type { LiveMetrics, LiveMetricsQuery, RoutingSpec, RoutingTable } from '../../../domain/records/index.js';
import { Arm, type PredictionLogEntry } from '../../../domain/records/prediction-log-entry.js';
import type { LoadFailureRecord, LoadFailureSummary, UnservableKind } from '../../../domain/rollout/serviceability.js';
import { featureWindowOf, type FeatureWindowRow } from '../feature-window-table.js';
import { parseLoadFailureQuery, parseLoadFailureRecord } from '../load-failure-input.js';
import {
  parseLabel,
  parseLiveMetricsQuery,
  parsePrediction,
  parseRoutingSpec,
  routingTableOf,
} from '../serving-input.js';
import {
  RoutingConflictError,
  type FeatureWindow,
  type FeatureWindowQuery,
  type LabelRecord,
  type LabelWrite,
  type LoadFailureQuery,
  type ServingStateForGateway,
} from '../serving-state.js';
import type { AlertClaimStore } from '../../../domain/alert-claims.js';
import { queryLiveMetrics } from './live-metrics-query.js';
import { PostgresAlertClaims } from './postgres-alert-claims.js';
import { migrate } from './migrate.js';
import { pgTypes } from './pg-types.js';
import { inTransaction } from './pg-transaction.js';

export interface PostgresServingStateOptions {
  /** `postgres://user[:password]@host:port/database` */
  readonly url: string;
  readonly now?: () => Date;
  /** Skip per-record zod parsing on the hot path when the caller already validated (the gateway). */
  readonly trustedWrites?: boolean;
  /** Connections in the pool (default 4: the gateway's log commits one transaction at a time). */
  readonly maxConnections?: number;
  /** Apply pending migrations on open (default true); false for a process that must not change the schema. */
  readonly migrate?: boolean;
  /** An idle connection failed (e.g. the server restarted); the next query reconnects. */
  readonly onConnectionError?: (err: Error) => void;
}

/** Rows per INSERT statement; a larger batch is several statements in one transaction. */
const INSERT_CHUNK = 5_000;

/**
 * Serving state in PostgreSQL, shared by every gateway replica, the rollout and the
 * monitor. Routing writes take a per-model advisory lock, so a compare-and-set on the
 * revision is decided by whoever holds it and a stale writer gets RoutingConflictError.
 * Predictions go in as one multi-row INSERT per batch (the gateway's group commit).
 */
export class PostgresServingState implements ServingStateForGateway {
  readonly pool: pg.Pool;
  /** Resolves when the schema is migrated; every call waits for it. */
  readonly ready: Promise<void>;
  private readonly now: () => Date;

  constructor(private readonly opts: PostgresServingStateOptions) {
    this.pool = new pg.Pool({ connectionString: opts.url, max: opts.maxConnections ?? 4, types: pgTypes });
    this.pool.on('error', (err) => opts.onConnectionError?.(err));
    this.now = opts.now ?? (() => new Date());
    this.ready = opts.migrate === false ? Promise.resolve() : migrate(this.pool).then(() => undefined);
    // Callers see a failed migration on their first call; it is not an unhandled rejection meanwhile.
    this.ready.catch(() => undefined);
  }

  /** Opens the pool and waits for the migrations, so a bad URL or schema fails here, not on the first request. */
  static async open(opts: PostgresServingStateOptions): Promise<PostgresServingState> {
    const state = new PostgresServingState(opts);
    try {
      await state.ready;
      return state;
    } catch (err) {
      await state.close();
      throw err;
    }
  }

  async getRouting(modelId: string): Promise<RoutingTable | null> {
    await this.ready;
    const { rows } = await this.pool.query<RoutingRow>(
      'SELECT model_id, revision, spec, updated_at FROM routing WHERE model_id = $1',
      [modelId],
    );
    return rows[0] ? toTable(rows[0]) : null;
  }

  async setRouting(
    modelId: string,
    routing: RoutingSpec,
    opts: { expectedRevision?: number } = {},
  ): Promise<RoutingTable> {
    const spec = parseRoutingSpec(modelId, routing);
    const at = this.now().toISOString();
    return this.transaction(async (c) => {
      // Writers of one model take turns; the revision read after the lock is the latest committed one.
      await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`ct-routing:${modelId}`]);
      const current = await c.query<{ revision: number }>('SELECT revision FROM routing WHERE model_id = $1', [
        modelId,
      ]);
      const currentRevision = current.rows[0]?.revision ?? 0;
      if (opts.expectedRevision !== undefined && opts.expectedRevision !== currentRevision) {
        throw new RoutingConflictError(modelId, opts.expectedRevision, currentRevision);
      }
      const revision = currentRevision + 1;
      const row = [modelId, revision, JSON.stringify(spec), at];
      await c.query(
        `INSERT INTO routing (model_id, revision, spec, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (model_id) DO UPDATE SET revision = excluded.revision, spec = excluded.spec, updated_at = excluded.updated_at`,
        row,
      );
      await c.query('INSERT INTO routing_history (model_id, revision, spec, updated_at) VALUES ($1, $2, $3, $4)', row);
      return routingTableOf(modelId, { revision, spec, updatedAt: at });
    });
  }

  async listRouting(): Promise<RoutingTable[]> {
    await this.ready;
    const { rows } = await this.pool.query<RoutingRow>(
      'SELECT model_id, revision, spec, updated_at FROM routing ORDER BY model_id',
    );
    return rows.map(toTable);
  }

  async routingHistory(modelId: string): Promise<RoutingTable[]> {
    await this.ready;
    const { rows } = await this.pool.query<RoutingRow>(
      'SELECT model_id, revision, spec, updated_at FROM routing_history WHERE model_id = $1 ORDER BY revision',
      [modelId],
    );
    return rows.map(toTable);
  }

  async logPredictions(entries: readonly PredictionLogEntry[]): Promise<void> {
    const rows = this.opts.trustedWrites ? entries : entries.map(parsePrediction);
    await this.insertPredictions(rows);
  }

  /** The gateway's PredictionLogSink: entries are already validated, one transaction per group commit. */
  async appendPredictions(entries: readonly PredictionLogEntry[]): Promise<void> {
    await this.insertPredictions(entries);
  }

  async findPrediction(modelId: string, requestId: string): Promise<{ version: number } | null> {
    await this.ready;
    const { rows } = await this.pool.query<{ version: number }>(
      `SELECT version FROM predictions WHERE request_id = $1 AND model_id = $2 AND role <> 'shadow' LIMIT 1`,
      [requestId, modelId],
    );
    return rows[0] ?? null;
  }

  /**
   * Stores a label when a prediction of `modelId` has this request id and no label yet.
   * The primary key decides between concurrent labels (from any replica): exactly one is
   * stored, and the others learn which label stayed.
   */
  async recordLabel(modelId: string, requestId: string, label: number, atMs: number): Promise<LabelWrite> {
    await this.ready;
    const { rows } = await this.pool.query<{ known: boolean; stored: boolean }>(
      `WITH known AS (SELECT 1 FROM predictions WHERE request_id = $1 AND model_id = $2 LIMIT 1),
            ins AS (INSERT INTO labels (request_id, label, ts) SELECT $1, $3, $4 WHERE EXISTS (SELECT 1 FROM known)
                    ON CONFLICT (request_id) DO NOTHING RETURNING 1)
       SELECT EXISTS (SELECT 1 FROM known) AS known, EXISTS (SELECT 1 FROM ins) AS stored`,
      [requestId, modelId, label, atMs],
    );
    const r = rows[0]!;
    if (!r.known) return { outcome: 'unknownRequest' };
    if (r.stored) return { outcome: 'stored' };
    // A new statement sees the label that won, even one committed after the insert's snapshot.
    const existing = await this.pool.query<{ label: number; ts: number }>(
      'SELECT label, ts FROM labels WHERE request_id = $1',
      [requestId],
    );
    const kept = existing.rows[0]!;
    return { outcome: 'alreadyLabelled', label: kept.label, atMs: kept.ts };
  }

  async recordLabels(labels: readonly LabelRecord[]): Promise<{ stored: number; alreadyLabelled: number }> {
    const parsed = labels.map(parseLabel);
    const nowMs = this.now().getTime();
    await this.ready;
    const { rowCount } = await this.pool.query(
      `INSERT INTO labels (request_id, label, ts) SELECT * FROM unnest($1::text[], $2::float8[], $3::int8[])
       ON CONFLICT (request_id) DO NOTHING`,
      [parsed.map((l) => l.requestId), parsed.map((l) => l.label), parsed.map((l) => l.timeMs ?? nowMs)],
    );
    const stored = rowCount ?? 0;
    return { stored, alreadyLabelled: labels.length - stored };
  }

  async readLiveMetrics(
    query: LiveMetricsQuery & { task?: 'binaryClassification' | 'regression' },
  ): Promise<LiveMetrics> {
    const q = parseLiveMetricsQuery(query);
    await this.ready;
    return queryLiveMetrics(this.pool, { ...q, task: query.task ?? 'binaryClassification' });
  }

  async readFeatureWindow(q: FeatureWindowQuery): Promise<FeatureWindow> {
    await this.ready;
    const { rows } = await this.pool.query<FeatureWindowRow>(
      `SELECT p.features, p.prediction, p.probability, l.label, p.version FROM predictions p LEFT JOIN labels l ON l.request_id = p.request_id
       WHERE p.model_id = $1 AND p.ts >= $2 AND p.ts < $3 AND p.role <> 'shadow' AND p.error IS NULL
         AND ($4::integer IS NULL OR p.version = $4)
       ORDER BY p.ts DESC, p.request_id DESC LIMIT $5`,
      [q.modelId, q.fromMs, q.toMs, q.version ?? null, q.limit ?? 100_000],
    );
    rows.reverse(); // oldest first, like a dataset
    return featureWindowOf(rows, q.columns);
  }

  async recordLoadFailure(failure: LoadFailureRecord): Promise<void> {
    const f = parseLoadFailureRecord(failure);
    await this.ready;
    await this.pool.query(
      'INSERT INTO load_failures (model_id, version, kind, message, ts) VALUES ($1, $2, $3, $4, $5)',
      [f.modelId, f.version, f.kind, f.message, f.atMs],
    );
  }

  async readLoadFailures(query: LoadFailureQuery): Promise<LoadFailureSummary | null> {
    const q = parseLoadFailureQuery(query);
    await this.ready;
    const { rows } = await this.pool.query<{ count: number; last_at_ms: number; kind: string; message: string }>(
      `SELECT count(*) OVER ()::integer AS count, ts AS last_at_ms, kind, message FROM load_failures
       WHERE model_id = $1 AND version = $2 AND ts >= $3 AND ts < $4 ORDER BY ts DESC, id DESC LIMIT 1`,
      [q.modelId, q.version, q.fromMs, q.toMs],
    );
    const r = rows[0];
    return r ? { count: r.count, kind: r.kind as UnservableKind, message: r.message, lastAtMs: r.last_at_ms } : null;
  }

  alertClaims(): AlertClaimStore {
    return new PostgresAlertClaims(this.pool, this.ready);
  }

  async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    if (!this.pool.ended) await this.pool.end();
  }

  private async insertPredictions(entries: readonly PredictionLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.ready;
    const write = (c: pg.PoolClient | pg.Pool, rows: readonly PredictionLogEntry[]) =>
      c.query(
        `INSERT INTO predictions (request_id, role, model_id, version, features, prediction, probability, latency_ms, ts, error, flags, replica)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::json[], $6::float8[], $7::float8[],
                              $8::float8[], $9::int8[], $10::text[], $11::json[], $12::text[])
         ON CONFLICT (request_id, role) DO NOTHING`,
        columnsOf(rows),
      );
    if (entries.length <= INSERT_CHUNK) {
      await write(this.pool, entries); // one statement is one transaction
      return;
    }
    await this.transaction(async (c) => {
      for (let i = 0; i < entries.length; i += INSERT_CHUNK) await write(c, entries.slice(i, i + INSERT_CHUNK));
    });
  }

  private async transaction<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.ready;
    return inTransaction(this.pool, 'BEGIN', fn);
  }
}

type RoutingRow = { model_id: string; revision: number; spec: RoutingSpec; updated_at: string };

const toTable = (r: RoutingRow): RoutingTable =>
  routingTableOf(r.model_id, { revision: r.revision, spec: r.spec, updatedAt: r.updated_at });

/** The batch as one array per column, for `unnest`. */
function columnsOf(rows: readonly PredictionLogEntry[]): unknown[][] {
  const cols: unknown[][] = Array.from({ length: 12 }, () => new Array<unknown>(rows.length));
  rows.forEach((e, i) => {
    cols[0]![i] = e.requestId;
    cols[1]![i] = e.arm ?? Arm.champion;
    cols[2]![i] = e.modelId;
    cols[3]![i] = e.version;
    cols[4]![i] = JSON.stringify(e.features);
    cols[5]![i] = e.prediction;
    cols[6]![i] = e.probability ?? null;
    cols[7]![i] = e.latencyMs;
    cols[8]![i] = e.atMs;
    cols[9]![i] = e.error ?? null;
    cols[10]![i] = e.flags && e.flags.length > 0 ? JSON.stringify(e.flags) : null;
    cols[11]![i] = e.replica ?? null;
  });
  return cols;
}
