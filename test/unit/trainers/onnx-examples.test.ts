import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSnapshotTable } from '../../../src/adapters/data-sources/snapshot-store.js';
import { openScorer } from '../../../src/adapters/model-formats/index.js';
import type { TrainProgress } from '../../../src/adapters/trainers/port.js';
import { preparePythonExample } from '../../support/python-example.js';

/** Each ONNX example, its venv requirements, and where it writes the library's own held-out predictions. */
const EXAMPLES = [
  {
    model: 'scikit-learn Pipeline → RandomForestClassifier (skl2onnx)',
    spec: 'examples/credit-sklearn-onnx.yaml',
    requirements: 'examples/python-sklearn/requirements.txt',
    predictions: 'sklearn-heldout-predictions.json',
    column: 'proba',
  },
  {
    model: 'LightGBM boosted trees (onnxmltools)',
    spec: 'examples/fraud-sea-lightgbm.yaml',
    requirements: 'examples/python-lightgbm/requirements.txt',
    predictions: 'lightgbm-heldout-predictions.json',
    column: 'proba',
  },
  {
    model: 'scikit-learn Pipeline → MLPRegressor (skl2onnx)',
    spec: 'examples/delivery-mlp-onnx.yaml',
    requirements: 'examples/python-sklearn/requirements.txt',
    predictions: 'sklearn-heldout-predictions.json',
    column: 'pred',
  },
] as const;

/**
 * Parity: the example trains for real through the command trainer (its venv created as
 * today), and what ct-flywheel computes through ONNX Runtime with the project's scorer on the
 * held-out rows — the numbers the gate judges and the gateway serves — is what the Python
 * library itself predicts (`predict_proba` / `predict`), within 1e-5, on at least 1,000 rows.
 */
describe.each(EXAMPLES)('$model', (example) => {
  it('ONNX Runtime through our scorer matches the library within 1e-5 on ≥ 1,000 held-out rows', async () => {
    const { spec, snapshot, trainer } = await preparePythonExample(example.spec, example.requirements);
    const beats: TrainProgress[] = [];
    const out = await trainer.train(snapshot, spec.trainer, { heartbeat: (p) => beats.push(p) });
    expect(beats.at(-1)).toMatchObject({ epoch: beats.at(-1)!.totalEpochs });

    const scorer = await openScorer({ bytes: out.artifact, features: spec.features, task: spec.task });
    expect(scorer.format).toBe('onnx');
    const { table } = await readSnapshotTable(snapshot.path, 'heldOut');
    const ours = await scorer.score(table);
    const library = (
      JSON.parse(await readFile(path.join(out.outputDir!, example.predictions), 'utf8')) as Record<string, number[]>
    )[example.column]!;
    expect(ours.length).toBe(library.length);
    expect(ours.length).toBeGreaterThanOrEqual(1000);
    const maxDiff = Math.max(...Array.from(ours, (p, i) => Math.abs(p - library[i]!)));
    expect(maxDiff).toBeLessThan(1e-5);
  }, 900_000);
});
