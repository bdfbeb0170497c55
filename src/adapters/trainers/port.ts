import type { ModelFormatId } from '../../domain/model-format/model-description.js';
import type { TrainerConfig } from '../../domain/model-spec/trainer-config.js';
import type { SnapshotRef } from '../../domain/records/snapshot-ref.js';

/**
 * Where a resumed training attempt picks up: the epochs already done and the trainer's own
 * state (JSON, small: it travels in Temporal heartbeat details, which must stay well under 2 MB).
 */
export interface TrainCheckpoint {
  readonly epoch: number;
  readonly state: unknown;
}

/** One progress report; the activity turns each into a heartbeat. */
export interface TrainProgress {
  readonly epoch: number;
  readonly totalEpochs: number;
  readonly loss: number;
  /** Present when the attempt can be resumed from this point. */
  readonly checkpoint?: TrainCheckpoint;
}

/** Which attempt of which training activity is running (Temporal's activity identity and attempt number). */
export interface TrainAttempt {
  /** The same for every attempt of one activity (workflow id, run id, activity id). */
  readonly key: string;
  /** 1 for the first attempt, then 2, 3… */
  readonly number: number;
}

/** The champion's artifact as stored, whatever its format: what a `fineTune` trainer starts from. */
export interface WarmStartArtifact {
  readonly bytes: Uint8Array;
  readonly format: ModelFormatId;
}

export interface TrainContext {
  heartbeat(progress: TrainProgress): void;
  /** The last checkpoint of a previous attempt (from heartbeat details): resume instead of starting over. */
  readonly checkpoint?: TrainCheckpoint;
  /** The current champion's artifact, the starting point when the trainer's strategy is `fineTune` (a trainer that cannot read its format starts over). */
  readonly warmStart?: WarmStartArtifact;
  /** Set inside an activity: trainers that keep files per attempt clean up after earlier (killed) attempts of the same activity. */
  readonly attempt?: TrainAttempt;
  /** Aborted when the activity is cancelled; the trainer stops as soon as it can. */
  readonly signal?: AbortSignal;
}

export interface TrainOutput {
  /** The model artifact: `ct-flywheel/linear-model@1` JSON bytes or an ONNX model. */
  readonly artifact: Uint8Array;
  readonly metrics: Readonly<Record<string, number>>;
  readonly epochs: number;
  readonly resumedFromCheckpoint: boolean;
  readonly warmStarted: boolean;
  /** Command trainers run with `keepOutput`: the directory holding everything the command wrote. */
  readonly outputDir?: string;
}

/** Port: train on a snapshot's train split and return the artifact and training metrics. */
export interface Trainer {
  readonly kind: TrainerConfig['kind'];
  /**
   * @param snapshot a snapshot written by a DataSource (self-describing: task, features, label)
   * @param config the spec's trainer block (strategy, hyperparameters, command…)
   */
  train(snapshot: SnapshotRef, config: TrainerConfig, context: TrainContext): Promise<TrainOutput>;
}
