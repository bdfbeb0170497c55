import { z } from 'zod';
import type { PredictionLogEntry } from '../../domain/records/prediction-log-entry.js';
import type { LiveMetrics, LiveMetricsQuery, RoutingSpec, RoutingTable } from '../../domain/records/index.js';
import type { LoadFailureRecord, LoadFailureSummary } from '../../domain/rollout/serviceability.js';
import type { Table } from '../../stats/table.js';
import type { AlertClaimStore } from '../../domain/alert-claims.js';

/**
 * What the rollout workflow and the serving gateway share: the routing table per model
 * (who gets traffic) and the prediction log with delayed labels (what happened). The
 * embedded default is SqliteServingState; a real deployment target (a service mesh, a
 * feature store's log) is another implementation.
 */
export interface ServingState {
  getRouting(modelId: string): Promise<RoutingTable | null>;
  /**
   * Replaces the model's routing atomically and bumps its revision. With
   * `expectedRevision` it is a compare-and-set (0 = "must not exist yet"): a stale writer
   * gets RoutingConflictError instead of overwriting a newer decision.
   */
  setRouting(modelId: string, routing: RoutingSpec, opts?: { expectedRevision?: number }): Promise<RoutingTable>;
  listRouting(): Promise<RoutingTable[]>;
  /** Every revision ever written for a model, oldest first (audit of rollouts and rollbacks). */
  routingHistory(modelId: string): Promise<RoutingTable[]>;

  /** Appends predictions in one transaction; a duplicate (requestId, arm) is ignored. */
  logPredictions(entries: readonly PredictionLogEntry[]): Promise<void>;
  /**
   * Stores delayed ground truth; joined to predictions by request id whenever they arrive.
   * A request that already has a label keeps it (counted in `alreadyLabelled`): labels feed
   * the rollout guards and the monitor, so a later one never silently replaces the first.
   */
  recordLabels(labels: readonly LabelRecord[]): Promise<{ stored: number; alreadyLabelled: number }>;
  readLiveMetrics(query: LiveMetricsQuery & { task?: 'binaryClassification' | 'regression' }): Promise<LiveMetrics>;
  /** Logged feature rows of a window as a columnar Table, for drift checks against the reference profile. */
  readFeatureWindow(query: FeatureWindowQuery): Promise<FeatureWindow>;

  /**
   * Records that a gateway could not load a version (tampered or missing artifact, invalid
   * model): its traffic went elsewhere, so the prediction log alone would show thin traffic.
   */
  recordLoadFailure(failure: LoadFailureRecord): Promise<void>;
  /** Load failures of one version in `[fromMs, toMs)`, or null when there were none. */
  readLoadFailures(query: LoadFailureQuery): Promise<LoadFailureSummary | null>;
  close(): Promise<void>;
}

/**
 * The serving state as a gateway replica uses it on the request path: the port plus the
 * calls that answer one request (sync on SQLite, async on PostgreSQL; callers await both).
 */
export interface ServingStateForGateway extends ServingState {
  /** Writes already-validated entries in one transaction (the gateway's group commit). */
  appendPredictions(entries: readonly PredictionLogEntry[]): void | Promise<void>;
  /** The version that answered this request of `modelId` (shadow copies aside), or null for an unknown request. */
  findPrediction(modelId: string, requestId: string): { version: number } | null | Promise<{ version: number } | null>;
  /** Stores a label unless the request is unknown or already labelled; the first label stays. */
  recordLabel(modelId: string, requestId: string, label: number, atMs: number): LabelWrite | Promise<LabelWrite>;
  /** The webhook's de-dup and replay claims, kept in the same store so every replica shares them. */
  alertClaims(): AlertClaimStore;
}

export const labelRecordSchema = z.object({
  requestId: z.string().min(1),
  label: z.number().finite(),
  timeMs: z.number().int().min(0).optional(),
});
export type LabelRecord = z.infer<typeof labelRecordSchema>;

/** What storing one label did: stored, or why not. A stored label is never overwritten (the first one stays). */
export type LabelWrite =
  { outcome: 'stored' } | { outcome: 'unknownRequest' } | { outcome: 'alreadyLabelled'; label: number; atMs: number };

export interface LoadFailureQuery {
  readonly modelId: string;
  readonly version: number;
  readonly fromMs: number;
  readonly toMs: number;
}

export interface FeatureWindowQuery {
  readonly modelId: string;
  readonly fromMs: number;
  readonly toMs: number;
  /** Only rows answered by this version; default all versions. Shadow rows are never included (they duplicate a request). */
  readonly version?: number;
  /** Column kinds; columns not listed are inferred from the first non-null value. */
  readonly columns?: Readonly<Record<string, 'numeric' | 'categorical'>>;
  /** Most recent rows first when capped. Default 100,000. */
  readonly limit?: number;
}

export interface FeatureWindow {
  readonly table: Table;
  /** Label per row, NaN where it has not arrived. */
  readonly labels: Float64Array;
  readonly predictions: Float64Array;
  /** P(class 1) the classifier answered with, NaN where not logged: the label-free performance estimate reads it. */
  readonly probabilities: Float64Array;
  readonly versions: Int32Array;
}

/** A compare-and-set on the routing table lost against a newer write. */
export class RoutingConflictError extends Error {
  override name = 'RoutingConflictError';
  constructor(
    readonly modelId: string,
    readonly expectedRevision: number,
    readonly actualRevision: number,
  ) {
    super(
      `routing of ${modelId} is at revision ${actualRevision}, not ${expectedRevision}: re-read it and decide again`,
    );
  }
}

/** Bad input to the serving state (invalid routing, malformed prediction record). */
export class ServingInputError extends Error {
  override name = 'ServingInputError';
}
