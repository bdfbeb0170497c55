import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotRef } from '../../../src/domain/records/snapshot-ref.js';
import { readSnapshotTable } from '../../../src/adapters/data-sources/snapshot-store.js';
import type { CommandTrainer } from '../../../src/adapters/trainers/command-trainer.js';
import { TrainerCommandError } from '../../../src/adapters/trainers/errors.js';
import type { TrainCheckpoint, TrainOutput, TrainProgress } from '../../../src/adapters/trainers/port.js';
import { parseLinearModel } from '../../../src/domain/model-format/linear-model.js';
import { scoreColumns } from '../../../src/domain/model-format/predict.js';
import type { ModelSpec } from '../../../src/domain/model-spec/model-spec.js';
import { preparePythonExample } from '../../support/python-example.js';

let spec: ModelSpec;
let snapshot: SnapshotRef;
let trainer: CommandTrainer;

// Creates .venv and installs scikit-learn the first time (minutes); instant afterwards.
beforeAll(async () => {
  ({ spec, snapshot, trainer } = await preparePythonExample(
    'examples/churn-csv.yaml',
    'examples/python-sklearn/requirements.txt',
  ));
}, 900_000);

describe('examples/python-sklearn/train.py through the command trainer', () => {
  it('trains for real and our predictProba agrees with scikit-learn on the held-out rows', async () => {
    const beats: TrainProgress[] = [];
    const out = await trainer.train(snapshot, spec.trainer, { heartbeat: (p) => beats.push(p) });
    // the spec's maxIter 1000 in the default 10 epochs; the last epoch carries no checkpoint
    expect(beats.map((b) => b.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(beats.at(-1)).toMatchObject({ totalEpochs: 10, checkpoint: undefined });
    expect(out.metrics.resumedFromEpoch).toBe(0);
    expect(out.metrics.trainAccuracy).toBeGreaterThan(0.7);

    const model = parseLinearModel(new TextDecoder().decode(out.artifact));
    const sklearn = JSON.parse(
      await readFile(path.join(out.outputDir!, 'sklearn-heldout-predictions.json'), 'utf8'),
    ) as { proba: number[]; pred: number[]; label: number[] };
    const { table } = await readSnapshotTable(snapshot.path, 'heldOut');
    const ours = scoreColumns(model, table);
    expect(ours.length).toBe(sklearn.proba.length);

    const accuracy = (pred: ArrayLike<number>) =>
      Array.from(sklearn.label).filter((y, i) => y === pred[i]).length / sklearn.label.length;
    const ourAccuracy = accuracy(Array.from(ours, (p) => (p >= 0.5 ? 1 : 0)));
    const theirAccuracy = accuracy(sklearn.pred);
    expect(Math.abs(ourAccuracy - theirAccuracy)).toBeLessThanOrEqual(0.01);
    // Stronger than the acceptance bar: the probabilities themselves match.
    const maxDiff = Math.max(...Array.from(ours, (p, i) => Math.abs(p - sklearn.proba[i]!)));
    expect(maxDiff).toBeLessThan(1e-9);
    expect(theirAccuracy).toBeGreaterThan(0.7);
  });

  it('a scikit-learn error becomes TrainerCommandError with the traceback tail', async () => {
    const bad = { ...spec.trainer, hyperparameters: { C: -1 } } as ModelSpec['trainer'];
    const err = await trainer.train(snapshot, bad, { heartbeat: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainerCommandError);
    expect((err as TrainerCommandError).exitCode).toBe(1);
    expect((err as TrainerCommandError).stderrTail.join('\n')).toMatch(
      /InvalidParameterError: The 'C' parameter of LogisticRegression must be a float in the range \(0\.0, inf\]/,
    );
  });
});

// 8 epochs of 5 lbfgs iterations: intermediate epochs are genuinely unfinished models, so
// resuming from one must continue the optimisation rather than find it already done.
const sliced = { C: 1, maxIter: 40, epochs: 8 };

async function heldOutAccuracy(out: TrainOutput): Promise<number> {
  const model = parseLinearModel(new TextDecoder().decode(out.artifact));
  const { table } = await readSnapshotTable(snapshot.path, 'heldOut');
  // the held-out labels as the script read them (the label column is not part of the table)
  const { label: labels } = JSON.parse(
    await readFile(path.join(out.outputDir!, 'sklearn-heldout-predictions.json'), 'utf8'),
  ) as { label: number[] };
  const scores = scoreColumns(model, table);
  let correct = 0;
  scores.forEach((p, i) => (correct += Number((p >= 0.5 ? 1 : 0) === labels[i])));
  return correct / scores.length;
}

async function run(hyperparameters: Record<string, unknown>, checkpoint?: TrainCheckpoint) {
  const beats: TrainProgress[] = [];
  const config = { ...spec.trainer, hyperparameters } as ModelSpec['trainer'];
  const out = await trainer.train(snapshot, config, {
    heartbeat: (p) => beats.push(p),
    ...(checkpoint ? { checkpoint } : {}),
  });
  return { out, beats, accuracy: await heldOutAccuracy(out) };
}

describe('train.py resumes from the checkpoint a retried attempt gets back', () => {
  it('continues at epoch N+1 from an intermediate checkpoint and ends as good as an uninterrupted run', async () => {
    const fresh = await run(sliced);
    expect(fresh.beats.map((b) => b.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const atThree = fresh.beats.find((b) => b.epoch === 3)?.checkpoint;
    expect(atThree).toMatchObject({ epoch: 3, state: { file: expect.stringMatching(/epoch-3-[0-9a-f]{12}\.npz$/) } });
    expect(existsSync((atThree!.state as { file: string }).file)).toBe(true);
    // the optimisation is still moving at epoch 3, so a resume that restarted would show
    expect(fresh.beats[2]!.loss).toBeGreaterThan(fresh.beats.at(-1)!.loss);

    const resumed = await run(sliced, atThree);
    expect(resumed.beats[0]).toMatchObject({ epoch: 4, totalEpochs: 8 });
    expect(resumed.beats.map((b) => b.epoch)).toEqual([4, 5, 6, 7, 8]);
    expect(resumed.out.resumedFromCheckpoint).toBe(true);
    expect(resumed.out.metrics.resumedFromEpoch).toBe(3);
    expect(fresh.accuracy).toBeGreaterThan(0.7);
    // The script documents that a resumed run repeats the same computation (same final
    // coefficients on one machine); the user-facing promise is the same quality.
    expect(Math.abs(resumed.accuracy - fresh.accuracy)).toBeLessThanOrEqual(0.005);
    expect(resumed.out.metrics.trainLogLoss).toBeCloseTo(fresh.out.metrics.trainLogLoss!, 6);
  });

  it('a missing or foreign checkpoint file means a fresh start, not a crash', async () => {
    const other = await run({ ...sliced, C: 0.5 });
    const foreign = other.beats.find((b) => b.epoch === 3)!.checkpoint!;
    const missing: TrainCheckpoint = {
      epoch: 3,
      state: { file: path.join(tmpdir(), 'ct-no-such-dir', 'epoch-3.npz') },
    };
    for (const checkpoint of [foreign, missing, { epoch: 2, state: 'not ours' }]) {
      const restarted = await run(sliced, checkpoint);
      expect(restarted.beats.map((b) => b.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(restarted.out.metrics.resumedFromEpoch).toBe(0);
      expect(restarted.out.resumedFromCheckpoint).toBe(false);
      expect(restarted.accuracy).toBeGreaterThan(0.7);
    }
  });
});
