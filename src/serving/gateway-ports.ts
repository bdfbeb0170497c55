import type { ModelRegistry } from '../adapters/registry/model-registry.js';
import type { RoutingTable } from '../domain/records/routing.js';
import type { LoadFailureRecord } from '../domain/rollout/serviceability.js';

/** What the gateway needs from the registry: version → artifact sha, and verified bytes. */
export type ServingRegistry = Pick<ModelRegistry, 'getArtifact' | 'getVersion'>;

/** Reads the current routing table of a model (null when the model is not served). */
export interface RoutingSource {
  getRouting(modelId: string): RoutingTable | null | Promise<RoutingTable | null>;
}

/** One line of the prediction log, written by the gateway for every answered request. */
export interface PredictionLogEntry {
  requestId: string;
  modelId: string;
  version: number;
  arm: 'champion' | 'canary' | 'shadow';
  features: Record<string, unknown>;
  prediction: number;
  probability: number | null;
  latencyMs: number;
  atMs: number;
}

/** Where predictions and their delayed labels are stored (serving-state's prediction log). */
export interface PredictionLogSink {
  appendPredictions(entries: readonly PredictionLogEntry[]): void | Promise<void>;
  /** Joins a label to the logged prediction(s) of a request; false when the request id is unknown. */
  recordLabel(modelId: string, requestId: string, label: number, atMs: number): boolean | Promise<boolean>;
}

/** Where the gateway records a version it failed to load (serving-state's load failures). */
export interface LoadFailureSink {
  recordLoadFailure(failure: LoadFailureRecord): void | Promise<void>;
}
