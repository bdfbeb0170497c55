/**
 * Lifecycle fixtures over real adapters in a temp dir: an SEA model spec, snapshots
 * before and after a concept change, and built-in models trained on each. Used by the
 * trainer tests and by the evaluation-gate tests (promote the post-change retrain, reject
 * a pre-change model).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SyntheticDataSource } from '../../src/adapters/data-sources/synthetic-data-source.js';
import type { SnapshotRef } from '../../src/domain/records/snapshot-ref.js';
import { readSnapshotTable } from '../../src/adapters/data-sources/snapshot-store.js';
import { BuiltinTrainer } from '../../src/adapters/trainers/builtin-trainer.js';
import type { TrainOutput } from '../../src/adapters/trainers/port.js';
import { parseLinearModel, type LinearModel } from '../../src/domain/model-format/linear-model.js';
import { scoreColumns } from '../../src/domain/model-format/predict.js';
import { parseModelSpec, type ModelSpec, type ModelSpecInput } from '../../src/domain/model-spec/model-spec.js';

/** SEA concepts with the default schedule: θ = 8 until window 10, then θ = 9 (then 7 at 20, 9.5 at 30). */
export const SEA_CHANGE_WINDOW = 10;

/** A binary-classification spec on the SEA stream, built-in trainer, accuracy + McNemar gate. */
export function seaSpec(overrides: Partial<ModelSpecInput> = {}): ModelSpec {
  return parseModelSpec({
    id: 'fraud-sea',
    task: 'binaryClassification',
    features: ['f1', 'f2', 'f3'].map((name) => ({ name, type: 'numeric', min: 0, max: 10 })),
    label: { name: 'is_fraud' },
    dataSource: {
      kind: 'synthetic',
      generator: { name: 'sea', noise: 0.1 },
      seed: 42,
      rowsPerWindow: 4000,
      heldOutFraction: 0.25,
    },
    trainer: { kind: 'builtin', hyperparameters: { epochs: 30, seed: 1 } },
    gate: { primaryMetric: 'accuracy', minImprovement: 0.01, significance: { test: 'mcnemar', alpha: 0.05 } },
    ...overrides,
  });
}

export interface TrainedModel {
  readonly output: TrainOutput;
  readonly model: LinearModel;
  readonly artifact: Uint8Array;
}

/** Trains the built-in trainer on a snapshot and parses its artifact. */
export async function trainBuiltin(spec: ModelSpec, snapshot: SnapshotRef): Promise<TrainedModel> {
  const output = await new BuiltinTrainer().train(snapshot, spec.trainer, { heartbeat: () => {} });
  return { output, artifact: output.artifact, model: parseLinearModel(new TextDecoder().decode(output.artifact)) };
}

export interface SeaBeforeAfter {
  readonly spec: ModelSpec;
  readonly root: string;
  readonly dataSource: SyntheticDataSource;
  /** Window SEA_CHANGE_WINDOW − 1 (old concept, θ = 8). */
  readonly preSnapshot: SnapshotRef;
  /** Window SEA_CHANGE_WINDOW (new concept, θ = 9): evaluate on its held-out rows. */
  readonly postSnapshot: SnapshotRef;
  /** Trained on the pre-change window: the stale champion. */
  readonly preModel: TrainedModel;
  /** Trained on the post-change window: the retrained challenger. */
  readonly postModel: TrainedModel;
}

/**
 * Snapshots SEA windows just before and at the concept change under `root` (a fresh temp
 * dir by default) and trains a built-in model on each.
 */
export async function buildSeaBeforeAfter(options: { root?: string; spec?: ModelSpec } = {}): Promise<SeaBeforeAfter> {
  const root = options.root ?? (await mkdtemp(path.join(tmpdir(), 'ct-sea-')));
  const spec = options.spec ?? seaSpec();
  const dataSource = new SyntheticDataSource({ snapshotRoot: path.join(root, 'snapshots') });
  const preSnapshot = await dataSource.snapshot({ spec, window: SEA_CHANGE_WINDOW - 1 });
  const postSnapshot = await dataSource.snapshot({ spec, window: SEA_CHANGE_WINDOW });
  const [preModel, postModel] = await Promise.all([trainBuiltin(spec, preSnapshot), trainBuiltin(spec, postSnapshot)]);
  return { spec, root, dataSource, preSnapshot, postSnapshot, preModel, postModel };
}

/** Accuracy of a classifier on a snapshot's held-out rows, scored with the domain scorer. */
export async function heldOutAccuracy(model: LinearModel, snapshot: SnapshotRef): Promise<number> {
  const { table, manifest } = await readSnapshotTable(snapshot.path, 'heldOut');
  const labels = table.columns[manifest.label.name]?.values as Float64Array;
  const proba = scoreColumns(model, table);
  let correct = 0;
  proba.forEach((p, i) => (correct += (p >= 0.5 ? 1 : 0) === labels[i] ? 1 : 0));
  return correct / proba.length;
}
