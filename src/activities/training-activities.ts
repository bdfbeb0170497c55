import { Context } from '@temporalio/activity';
import { z } from 'zod';
import { snapshotRefSchema, type SnapshotRef } from '../domain/records/snapshot-ref.js';
import type { ModelRegistry } from '../adapters/registry/model-registry.js';
import type { Trainers } from '../adapters/trainers/index.js';
import type { TrainAttempt, TrainCheckpoint, TrainProgress, WarmStartArtifact } from '../adapters/trainers/port.js';
import { detectModelFormat } from '../domain/model-format/model-description.js';
import { modelSpecSchema, type ModelSpec } from '../domain/model-spec/model-spec.js';
import { mapFailures, parseInput } from './errors.js';

export interface TrainingActivityDeps {
  readonly trainers: Trainers;
  /** Trained artifacts go straight into the registry's content-addressed store. */
  readonly registry: ModelRegistry;
}

export interface TrainModelInput {
  readonly spec: ModelSpec;
  readonly snapshot: SnapshotRef;
  readonly cycleId: string;
  /** The champion version to fine-tune from (used when `trainer.strategy` is `fineTune`). */
  readonly warmStartFromVersion?: number;
}

export interface TrainResult {
  readonly artifactSha256: string;
  readonly sizeBytes: number;
  readonly trainingMetrics: Readonly<Record<string, number>>;
  readonly trainer: ModelSpec['trainer']['kind'];
  readonly hyperparameters: Readonly<Record<string, unknown>>;
  readonly resumedFromCheckpoint: boolean;
  readonly epochs: number;
  /** Set when training started from this champion version's weights. */
  readonly warmStartedFromVersion?: number;
}

/** What each heartbeat carries; the last one comes back in `heartbeatDetails` on retry. */
export interface TrainHeartbeat {
  readonly epoch: number;
  readonly totalEpochs: number;
  readonly loss: number | null;
  readonly snapshotSha256: string;
  readonly checkpoint?: TrainCheckpoint;
}

const inputSchema = z.object({
  spec: modelSpecSchema,
  snapshot: snapshotRefSchema,
  cycleId: z.string().min(1),
  warmStartFromVersion: z.number().int().positive().optional(),
});

const heartbeatSchema = z.object({
  snapshotSha256: z.string(),
  checkpoint: z.object({ epoch: z.number().int().nonnegative(), state: z.unknown() }).optional(),
});

function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined; // called directly (tests, CLI): no heartbeats, no resume
  }
}

/** The checkpoint of a previous attempt, if it was for this very snapshot. */
function previousCheckpoint(context: Context | undefined, snapshotSha256: string): TrainCheckpoint | undefined {
  const parsed = heartbeatSchema.safeParse(context?.info.heartbeatDetails);
  if (!parsed.success || parsed.data.snapshotSha256 !== snapshotSha256 || !parsed.data.checkpoint) return undefined;
  return { epoch: parsed.data.checkpoint.epoch, state: parsed.data.checkpoint.state };
}

/** This attempt of this activity: every retry of one `trainModel` call shares the key. */
function attemptOf(context: Context | undefined): TrainAttempt | undefined {
  if (!context) return undefined;
  const { workflowExecution, activityId, attempt } = context.info;
  return {
    key: `${workflowExecution?.workflowId ?? ''}/${workflowExecution?.runId ?? ''}/${activityId}`,
    number: attempt,
  };
}

/** The training activity: runs on the `ct-training` queue, heartbeats every epoch, resumes after a crash. */
export function createTrainingActivities({ trainers, registry }: TrainingActivityDeps) {
  return {
    /**
     * Trains the spec's trainer on the snapshot's train split and stores the artifact in
     * the registry (content-addressed). Heartbeats `{ epoch, totalEpochs, loss, checkpoint }`;
     * a retried attempt resumes from the last heartbeat's checkpoint. A trainer command
     * that exits non-zero is a retryable `TrainerFailed` carrying its stderr tail.
     */
    async trainModel(input: TrainModelInput): Promise<TrainResult> {
      const i = parseInput(inputSchema, input, 'trainModel');
      const context = activityContext();
      try {
        return await train(i, context);
      } catch (err) {
        // Cancelled (by the workflow, a timeout or worker shutdown): report the SDK's own
        // cancellation, never a permanent failure, so a shutdown retries on another worker.
        if (context?.cancellationSignal.aborted) throw context.cancellationSignal.reason ?? err;
        throw err;
      }
    },
  };

  function train(i: z.infer<typeof inputSchema>, context: Context | undefined): Promise<TrainResult> {
    return mapFailures(async () => {
      let warmStart: WarmStartArtifact | undefined;
      if (i.warmStartFromVersion !== undefined && i.spec.trainer.strategy === 'fineTune') {
        // The champion's artifact whatever its format: the trainer decides what it can start from.
        const version = await registry.getVersion(i.spec.id, i.warmStartFromVersion);
        const bytes = await registry.getArtifact(version.artifact.sha256);
        warmStart = { bytes, format: version.lineage.model?.format ?? detectModelFormat(bytes) };
      }
      const checkpoint = previousCheckpoint(context, i.snapshot.sha256);
      // Heartbeat details replace each other: a progress line without a checkpoint must not
      // drop the last one, or a retry after it would start from scratch.
      let lastCheckpoint = checkpoint;
      const heartbeat = (p: TrainProgress) => {
        if (p.checkpoint) lastCheckpoint = p.checkpoint;
        const details: TrainHeartbeat = {
          epoch: p.epoch,
          totalEpochs: p.totalEpochs,
          loss: Number.isFinite(p.loss) ? p.loss : null,
          snapshotSha256: i.snapshot.sha256,
          ...(lastCheckpoint ? { checkpoint: lastCheckpoint } : {}),
        };
        context?.heartbeat(details);
      };
      const output = await trainers[i.spec.trainer.kind].train(i.snapshot, i.spec.trainer, {
        heartbeat,
        checkpoint,
        warmStart,
        attempt: attemptOf(context),
        signal: context?.cancellationSignal,
      });
      const stored = await registry.putArtifact(output.artifact);
      return {
        artifactSha256: stored.sha256,
        sizeBytes: stored.sizeBytes,
        trainingMetrics: output.metrics,
        trainer: i.spec.trainer.kind,
        hyperparameters: i.spec.trainer.hyperparameters,
        resumedFromCheckpoint: output.resumedFromCheckpoint,
        epochs: output.epochs,
        ...(output.warmStarted && i.warmStartFromVersion !== undefined
          ? { warmStartedFromVersion: i.warmStartFromVersion }
          : {}),
      };
    });
  }
}
