import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CsvDataSource } from '../../../src/adapters/data-sources/csv-data-source.js';
import type { SnapshotRef } from '../../../src/adapters/data-sources/port.js';
import { readSnapshotTable } from '../../../src/adapters/data-sources/snapshot-store.js';
import { loadModelSpec } from '../../../src/adapters/spec-loader.js';
import { CommandTrainer } from '../../../src/adapters/trainers/command-trainer.js';
import { TrainerCommandError } from '../../../src/adapters/trainers/errors.js';
import type { TrainProgress } from '../../../src/adapters/trainers/port.js';
import { parseLinearModel } from '../../../src/domain/model-format/linear-model.js';
import { scoreColumns } from '../../../src/domain/model-format/predict.js';
import type { ModelSpec } from '../../../src/domain/model-spec/model-spec.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

let spec: ModelSpec;
let snapshot: SnapshotRef;
let trainer: CommandTrainer;

// Creates .venv and installs scikit-learn the first time (minutes); instant afterwards.
beforeAll(async () => {
  const { stdout } = await promisify(execFile)('bash', [path.join(repo, 'scripts/python/ensure-venv.sh'), path.join(repo, 'examples/python-sklearn/requirements.txt')], { cwd: repo });
  const python = stdout.trim().split('\n').at(-1)!;
  const root = await mkdtemp(path.join(tmpdir(), 'ct-sklearn-'));
  const loaded = await loadModelSpec(path.join(repo, 'examples/churn-csv.yaml'));
  if (loaded.trainer.kind !== 'command') throw new Error('churn-csv.yaml must use the command trainer');
  spec = { ...loaded, trainer: { ...loaded.trainer, command: [python, path.join(repo, 'examples/python-sklearn/train.py')] } };
  snapshot = await new CsvDataSource({ snapshotRoot: path.join(root, 'snapshots') }).snapshot({ spec });
  trainer = new CommandTrainer({ workRoot: path.join(root, 'work'), keepOutput: true });
}, 900_000);

describe('examples/python-sklearn/train.py through the command trainer', () => {
  it('trains for real and our predictProba agrees with scikit-learn on the held-out rows', async () => {
    const beats: TrainProgress[] = [];
    const out = await trainer.train(snapshot, spec.trainer, { heartbeat: (p) => beats.push(p) });
    expect(beats.at(-1)).toMatchObject({ epoch: 1, totalEpochs: 1 });
    expect(out.metrics.trainAccuracy).toBeGreaterThan(0.7);

    const model = parseLinearModel(new TextDecoder().decode(out.artifact));
    const sklearn = JSON.parse(await readFile(path.join(out.outputDir!, 'sklearn-heldout-predictions.json'), 'utf8')) as { proba: number[]; pred: number[]; label: number[] };
    const { table } = await readSnapshotTable(snapshot.path, 'heldOut');
    const ours = scoreColumns(model, table);
    expect(ours.length).toBe(sklearn.proba.length);

    const accuracy = (pred: ArrayLike<number>) => Array.from(sklearn.label).filter((y, i) => y === pred[i]).length / sklearn.label.length;
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
    expect((err as TrainerCommandError).stderrTail.join('\n')).toMatch(/InvalidParameterError: The 'C' parameter of LogisticRegression must be a float in the range \(0\.0, inf\]/);
  });
});
