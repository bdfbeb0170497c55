import { createHash } from 'node:crypto';
import { openScorer } from '../../../src/adapters/model-formats/index.js';
import { readSnapshotTable } from '../../../src/adapters/data-sources/snapshot-store.js';
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotRef } from '../../../src/domain/records/snapshot-ref.js';
import type { CommandTrainer } from '../../../src/adapters/trainers/command-trainer.js';
import { TrainerCommandError } from '../../../src/adapters/trainers/errors.js';
import type { TrainCheckpoint, TrainProgress } from '../../../src/adapters/trainers/port.js';
import type { ModelSpec } from '../../../src/domain/model-spec/model-spec.js';
import { preparePythonExample } from '../../support/python-example.js';

let spec: ModelSpec;
let snapshot: SnapshotRef;
let trainer: CommandTrainer;

beforeAll(async () => {
  ({ spec, snapshot, trainer } = await preparePythonExample(
    'examples/fraud-sea-lightgbm.yaml',
    'examples/python-lightgbm/requirements.txt',
  ));
}, 900_000);

// 60 rounds in 6 epochs of 10: small enough to run three times, long enough that epoch 3 is half done.
const sliced = { rounds: 60, roundsPerEpoch: 10, learningRate: 0.1, numLeaves: 15, minDataInLeaf: 20, seed: 0 };

async function heldOutScores(artifact: Uint8Array): Promise<ArrayLike<number>> {
  const scorer = await openScorer({ bytes: artifact, features: spec.features, task: spec.task });
  const { table } = await readSnapshotTable(snapshot.path, 'heldOut');
  return scorer.score(table);
}

async function run(hyperparameters: Record<string, unknown>, checkpoint?: TrainCheckpoint) {
  const beats: TrainProgress[] = [];
  const config = { ...spec.trainer, hyperparameters } as ModelSpec['trainer'];
  const out = await trainer.train(snapshot, config, {
    heartbeat: (p) => beats.push(p),
    ...(checkpoint ? { checkpoint } : {}),
  });
  return { out, beats, sha256: createHash('sha256').update(out.artifact).digest('hex') };
}

describe('examples/python-lightgbm/train.py checkpoints and resumes by boosting rounds', () => {
  it('a retried attempt continues at the next epoch from the booster of the checkpoint and ends with the same model', async () => {
    const fresh = await run(sliced);
    expect(fresh.beats.map((b) => b.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(fresh.beats.at(-1)).toMatchObject({ totalEpochs: 6, checkpoint: undefined });
    const atThree = fresh.beats[2]!.checkpoint;
    expect(atThree).toMatchObject({ epoch: 3, state: { file: expect.stringMatching(/epoch-3-[0-9a-f]{12}\.npz$/) } });
    expect(existsSync((atThree!.state as { file: string }).file)).toBe(true);
    expect(fresh.beats[2]!.loss).toBeGreaterThan(fresh.beats.at(-1)!.loss);

    const resumed = await run(sliced, atThree);
    expect(resumed.beats.map((b) => b.epoch)).toEqual([4, 5, 6]);
    expect(resumed.out.resumedFromCheckpoint).toBe(true);
    expect(resumed.out.metrics).toMatchObject({ resumedFromEpoch: 3, rounds: 60 });
    // Single-threaded, deterministic boosting grows the same trees; the resumed booster's
    // scores are carried through a saved model, so the last bits of a leaf value may differ
    // (its bytes did once under load). What matters is that it predicts what the fresh one does.
    const [freshScores, resumedScores] = await Promise.all([
      heldOutScores(fresh.out.artifact),
      heldOutScores(resumed.out.artifact),
    ]);
    expect(resumedScores.length).toBeGreaterThanOrEqual(1000);
    const maxDiff = Math.max(...Array.from(resumedScores, (p, i) => Math.abs(p - freshScores[i]!)));
    expect(maxDiff).toBeLessThan(1e-6);
  }, 300_000);

  it('a checkpoint of other hyperparameters or a missing file means a fresh start, not a crash', async () => {
    const other = await run({ ...sliced, learningRate: 0.2 });
    const missing: TrainCheckpoint = { epoch: 3, state: { file: '/nonexistent/ct-lightgbm/epoch-3.npz' } };
    for (const checkpoint of [other.beats[2]!.checkpoint!, missing]) {
      const restarted = await run(sliced, checkpoint);
      expect(restarted.beats.map((b) => b.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(restarted.out.metrics.resumedFromEpoch).toBe(0);
      expect(restarted.out.resumedFromCheckpoint).toBe(false);
    }
  }, 300_000);

  it('a categorical feature is refused with one line naming it (one float tensor cannot carry strings)', async () => {
    const credit = await preparePythonExample(
      'examples/credit-sklearn-onnx.yaml',
      'examples/python-lightgbm/requirements.txt',
    );
    const err = await trainer.train(credit.snapshot, spec.trainer, { heartbeat: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainerCommandError);
    expect((err as TrainerCommandError).stderrTail.at(-1)).toBe(
      'ValueError: the LightGBM example takes numeric features only (one float tensor); categorical: segment',
    );
  }, 300_000);
});
