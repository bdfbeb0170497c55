import { setImmediate as nextTick } from 'node:timers/promises';
import { z } from 'zod';
import {
  LINEAR_MODEL_FORMAT,
  parseLinearModel,
  serializeLinearModel,
  type LinearModel,
} from '../../domain/model-format/linear-model.js';
import type { TrainerConfig } from '../../domain/model-spec/trainer-config.js';
import type { SnapshotRef } from '../../domain/records/snapshot-ref.js';
import { readSnapshotTable } from '../data-sources/snapshot-store.js';
import { encode, fitEncoder, toModelTerms, warmStartFrom, type Encoder } from './builtin/encoder.js';
import { initialState, objective, runEpoch, type DesignData, type LinearState } from './builtin/gradient-descent.js';
import { TrainerInputError, TrainingCancelledError } from './errors.js';
import type { TrainCheckpoint, TrainContext, TrainOutput, Trainer } from './port.js';

const checkpointStateSchema = z.object({
  weights: z.array(z.number()),
  intercept: z.number(),
  warmStarted: z.boolean().default(false),
});

/**
 * The embedded trainer: logistic regression (binary classification) or ridge regression,
 * in TypeScript, on standardized numeric and one-hot categorical features with L2, by
 * epochs of gradient descent. Deterministic for a seed; heartbeats a checkpoint (weights +
 * epoch) after every epoch and resumes from one exactly. Strategy `fineTune` starts from
 * the champion's weights; `fullRetrain` from scratch.
 */
export class BuiltinTrainer implements Trainer {
  readonly kind = 'builtin' as const;

  async train(snapshot: SnapshotRef, config: TrainerConfig, context: TrainContext): Promise<TrainOutput> {
    if (config.kind !== 'builtin')
      throw new TrainerInputError(`BuiltinTrainer cannot run a "${config.kind}" trainer config`);
    const hp = config.hyperparameters;
    const { table, manifest } = await readSnapshotTable(snapshot.path, 'train');
    const encoder = fitEncoder(table, manifest.features);
    const data = designData(encoder, table, manifest.label.name, manifest.task);

    let state: LinearState = initialState(data, manifest.task);
    let startEpoch = 0;
    let warmStarted = false;
    const resumed = parseCheckpoint(context.checkpoint, encoder.width);
    if (resumed) {
      state = resumed.state;
      startEpoch = Math.min(resumed.epoch, hp.epochs);
      warmStarted = resumed.warmStarted;
    } else {
      const champion = config.strategy === 'fineTune' ? linearChampion(context) : undefined;
      if (champion && champion.task === manifest.task) {
        state = warmStartFrom(encoder, champion);
        warmStarted = true;
      }
    }

    const options = { ...hp, task: manifest.task };
    let loss = objective(data, state, options);
    for (let epoch = startEpoch; epoch < hp.epochs; epoch++) {
      if (context.signal?.aborted)
        throw new TrainingCancelledError(`Training cancelled at epoch ${epoch} of ${hp.epochs}`);
      state = runEpoch(data, state, epoch, options);
      loss = objective(data, state, options);
      const checkpoint: TrainCheckpoint = {
        epoch: epoch + 1,
        state: { weights: Array.from(state.weights), intercept: state.intercept, warmStarted },
      };
      context.heartbeat({ epoch: epoch + 1, totalEpochs: hp.epochs, loss, checkpoint });
      await nextTick(); // let heartbeats flush and cancellation arrive between epochs
    }

    const model: LinearModel = {
      format: LINEAR_MODEL_FORMAT,
      task: manifest.task,
      label: manifest.label.name,
      features: toModelTerms(encoder, state.weights),
      intercept: state.intercept,
      ...(manifest.task === 'binaryClassification' ? { labelThreshold: 0.5 } : {}),
      metadata: {
        trainer: 'builtin',
        algorithm: manifest.task === 'binaryClassification' ? 'logisticRegression' : 'ridgeRegression',
        strategy: config.strategy,
        warmStarted,
        hyperparameters: hp,
        snapshotId: manifest.snapshotId,
        snapshotSha256: manifest.sha256,
      },
    };
    return {
      artifact: new TextEncoder().encode(serializeLinearModel(model)),
      metrics: { trainLoss: loss, trainRows: data.rowCount, ...fitMetrics(data, state, manifest.task) },
      epochs: hp.epochs,
      resumedFromCheckpoint: resumed !== undefined,
      warmStarted,
    };
  }
}

function designData(
  encoder: Encoder,
  table: Parameters<typeof encode>[1],
  labelName: string,
  task: string,
): DesignData {
  const labels = table.columns[labelName];
  if (!labels || labels.kind !== 'numeric')
    throw new TrainerInputError(`Label column "${labelName}" is missing or not numeric`);
  const keep: number[] = [];
  labels.values.forEach((y, r) => {
    if (!Number.isFinite(y)) return;
    if (task === 'binaryClassification' && y !== 0 && y !== 1) {
      throw new TrainerInputError(
        `Label "${labelName}" must be 0 or 1 for binary classification; row ${r + 1} has ${y}`,
      );
    }
    keep.push(r);
  });
  if (keep.length === 0) throw new TrainerInputError('The training split has no rows with a label');
  const full = encode(encoder, table);
  const x = new Float64Array(keep.length * encoder.width);
  keep.forEach((r, i) => x.set(full.subarray(r * encoder.width, (r + 1) * encoder.width), i * encoder.width));
  return { x, y: Float64Array.from(keep, (r) => labels.values[r]!), width: encoder.width, rowCount: keep.length };
}

function parseCheckpoint(checkpoint: TrainCheckpoint | undefined, width: number) {
  if (!checkpoint || !Number.isInteger(checkpoint.epoch) || checkpoint.epoch < 0) return undefined;
  const parsed = checkpointStateSchema.safeParse(checkpoint.state);
  // A checkpoint for a different encoding (cannot happen for an immutable snapshot) is ignored, not trusted.
  if (!parsed.success || parsed.data.weights.length !== width) return undefined;
  return {
    epoch: checkpoint.epoch,
    warmStarted: parsed.data.warmStarted,
    state: { weights: Float64Array.from(parsed.data.weights), intercept: parsed.data.intercept },
  };
}

function fitMetrics(data: DesignData, state: LinearState, task: string): Record<string, number> {
  let correct = 0,
    squared = 0;
  for (let r = 0; r < data.rowCount; r++) {
    let z = state.intercept;
    for (let j = 0; j < data.width; j++) z += state.weights[j]! * data.x[r * data.width + j]!;
    if (task === 'binaryClassification') correct += (z >= 0 ? 1 : 0) === data.y[r] ? 1 : 0;
    else squared += (z - data.y[r]!) ** 2;
  }
  return task === 'binaryClassification'
    ? { trainAccuracy: correct / data.rowCount }
    : { trainRmse: Math.sqrt(squared / data.rowCount) };
}

/** The champion as a linear model, when it is one: the built-in trainer cannot start from another format and trains from scratch. */
function linearChampion(context: TrainContext): LinearModel | undefined {
  const warm = context.warmStart;
  return warm && warm.format === LINEAR_MODEL_FORMAT
    ? parseLinearModel(new TextDecoder().decode(warm.bytes))
    : undefined;
}
