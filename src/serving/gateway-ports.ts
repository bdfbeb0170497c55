import type { ServingRegistry } from '../adapters/model-formats/model-loader.js';
import type { LabelWrite } from '../adapters/serving-state/serving-state.js';
import type { PredictionLogEntry } from '../domain/records/prediction-log-entry.js';
import type { RoutingTable } from '../domain/records/routing.js';
import type { LoadFailureRecord } from '../domain/rollout/serviceability.js';

/** What the gateway needs from the registry: version → artifact sha, and verified bytes. */
export type { ServingRegistry };

/** Reads the current routing table of a model (null when the model is not served). */
export interface RoutingSource {
  getRouting(modelId: string): RoutingTable | null | Promise<RoutingTable | null>;
}

export type { LabelWrite, PredictionLogEntry };

/** Where predictions and their delayed labels are stored (serving-state's prediction log). */
export interface PredictionLogSink {
  /** Writes the entries in one transaction; the gateway answers only after it returned. */
  appendPredictions(entries: readonly PredictionLogEntry[]): void | Promise<void>;
  /** The version that answered a request of this model (not a shadow copy), or null when the request id is unknown. */
  findPrediction(modelId: string, requestId: string): { version: number } | null | Promise<{ version: number } | null>;
  /** Joins a label to the logged prediction(s) of a request, unless the request already has one. */
  recordLabel(modelId: string, requestId: string, label: number, atMs: number): LabelWrite | Promise<LabelWrite>;
}

/** Where the gateway records a version it failed to load (serving-state's load failures). */
export interface LoadFailureSink {
  recordLoadFailure(failure: LoadFailureRecord): void | Promise<void>;
}
