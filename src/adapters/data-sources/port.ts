import type { ModelSpec } from '../../domain/model-spec/model-spec.js';
import type { SnapshotRef } from '../../domain/records/snapshot-ref.js';

export interface SnapshotRequest {
  readonly spec: ModelSpec;
  /** Time window to snapshot (synthetic sources); sources without time ignore it. */
  readonly window?: number;
  /**
   * The detected change, for a recency window with `sinceChange`: a window index (synthetic
   * sources) or a time in epoch ms (a CSV source's time column). Ignored without one.
   */
  readonly since?: number;
}

/** Port: turn a model's configured data source into an immutable train + held-out snapshot. */
export interface DataSource {
  readonly kind: ModelSpec['dataSource']['kind'];
  /**
   * Snapshots the data for `request.spec` (and window), writes it atomically under the
   * source's snapshot root and returns its reference. Idempotent: the same data gives the
   * same snapshot id and leaves the existing files untouched.
   * @throws DatasetSchemaError when the data does not match the spec's feature schema
   */
  snapshot(request: SnapshotRequest): Promise<SnapshotRef>;
}
