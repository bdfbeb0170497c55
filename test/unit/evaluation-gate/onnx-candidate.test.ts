import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { FailureType } from '../../../src/domain/failure-types.js';
import { parseModelSpec } from '../../../src/domain/model-spec/model-spec.js';
import type { ModelSpec } from '../../../src/domain/model-spec/model-spec.js';
import { createRng } from '../../../src/stats/random.js';
import { useLocalActivities } from '../../support/local-activity-deps.js';
import { sampleLineage } from '../../support/sample-lineage.js';
import { FIXTURE_FEATURES, fixtureBytes, NUMERIC_FEATURES } from '../model-format/onnx-fixtures.js';

const local = useLocalActivities('onnx-candidate-');

/** 1,200 churn-like rows in the fixtures' schema (tenure, charges, plan → churned), as a CSV file. */
async function churnCsv(dir: string): Promise<string> {
  const rng = createRng(3);
  const lines = ['tenure,charges,plan,churned'];
  for (let i = 0; i < 1200; i++) {
    const tenure = rng.nextFloat() * 72;
    const charges = 20 + rng.nextFloat() * 100;
    const plan = ['basic', 'pro', 'max'][rng.nextInt(3)]!;
    const z = -0.05 * (tenure - 24) + 0.02 * (charges - 70) + (plan === 'max' ? -0.8 : 0.3);
    lines.push(
      `${tenure.toFixed(3)},${charges.toFixed(3)},${plan},${rng.nextFloat() < 1 / (1 + Math.exp(-z)) ? 1 : 0}`,
    );
  }
  const file = path.join(dir, 'churn.csv');
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

async function specOn(features: typeof FIXTURE_FEATURES): Promise<ModelSpec> {
  return parseModelSpec({
    id: 'churn-onnx',
    task: 'binaryClassification',
    features,
    label: { name: 'churned' },
    dataSource: { kind: 'csv', path: await churnCsv(path.dirname(local.deps.snapshotRoot)), heldOutFraction: 0.25 },
    trainer: { kind: 'builtin', hyperparameters: { epochs: 20, seed: 1 } },
    gate: { primaryMetric: 'rocAuc', minImprovement: 0, significance: { test: 'delong' } },
  });
}

async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

describe('an ONNX candidate in the cycle: gate, latency check and registration', () => {
  it('is judged against a linear champion on the same held-out rows, its latency measured through ONNX Runtime, and registered with its description', async () => {
    const { acts, deps } = local;
    const spec = await specOn(FIXTURE_FEATURES);
    const snapshot = await acts.snapshotData({ spec, cycleId: 'c1' });
    const linear = await acts.trainModel({ spec, snapshot, cycleId: 'c1' });
    const lineage = sampleLineage({ dataset: { snapshotId: snapshot.snapshotId, sha256: snapshot.sha256 } });
    const champion = await acts.registerCandidate({
      modelId: spec.id,
      cycleId: 'c1',
      artifactSha256: linear.artifactSha256,
      lineage,
    });
    expect((await deps.registry.getVersion(spec.id, champion.version)).lineage.model).toMatchObject({
      format: 'ct-flywheel/linear-model@1',
      features: [{ name: 'tenure' }, { name: 'charges' }, { name: 'plan' }],
    });

    const onnx = await deps.registry.putArtifact(fixtureBytes('forest-columns.onnx'));
    const gate = await acts.evaluateCandidate({
      spec,
      snapshot,
      candidateSha256: onnx.sha256,
      championVersion: champion.version,
    });
    expect(gate.comparedWith).toEqual({ version: champion.version, artifactSha256: linear.artifactSha256 });
    expect(gate.metrics.challenger.rocAuc).toBeGreaterThan(0.6);
    expect(gate.metrics.champion?.rocAuc).toBeGreaterThan(0.6);
    expect(gate.significance).not.toBeNull();
    expect(gate.latencyP95Ms).toBeGreaterThan(0);
    expect(gate.latencyP95Ms).toBeLessThan(50);

    const candidate = await acts.registerCandidate({
      modelId: spec.id,
      cycleId: 'c2',
      artifactSha256: onnx.sha256,
      lineage,
    });
    const model = (await deps.registry.getVersion(spec.id, candidate.version)).lineage.model;
    expect(model).toMatchObject({
      format: 'onnx',
      task: 'binaryClassification',
      onnx: { irVersion: 8, opset: { '': 17 }, producer: 'skl2onnx', inputLayout: 'columns' },
    });
    expect(model?.onnx?.inputs.map((i) => `${i.name} ${i.type} [${i.shape.join(',')}]`)).toEqual([
      'tenure float32 [,1]',
      'charges float32 [,1]',
      'plan string [,1]',
    ]);
  });

  it.each([
    [
      'bad-input-name.onnx',
      FIXTURE_FEATURES,
      "ONNX input 'tenure_months' (float32 [N,1]) is not a feature of the spec (tenure, charges, plan): expected one float [N,F] input in schema order or one [N,1] input per feature named after it",
    ],
    [
      'bad-feature-count.onnx',
      NUMERIC_FEATURES,
      "ONNX input 'input' is float32 [N,3] but the spec has 2 features: expected float32 [N,2] (tenure, charges)",
    ],
    [
      'bad-no-probability.onnx',
      NUMERIC_FEATURES,
      "ONNX model has no probability output for binaryClassification: expected 'probabilities' or 'output_probability', found label (int64 [N])",
    ],
    ['corrupt', FIXTURE_FEATURES, 'artifact is not an ONNX model: a protobuf field runs past the end of the file'],
  ] as const)(
    '%s is refused by the gate and at registration with one line; nothing is registered',
    async (file, features, message) => {
      const { acts, deps } = local;
      const spec = await specOn(features);
      const snapshot = await acts.snapshotData({ spec, cycleId: 'c1' });
      const bytes = file === 'corrupt' ? fixtureBytes('forest-columns.onnx').slice(0, 5000) : fixtureBytes(file);
      const { sha256 } = await deps.registry.putArtifact(bytes);

      const gate = await failureOf(acts.evaluateCandidate({ spec, snapshot, candidateSha256: sha256 }));
      expect(gate).toMatchObject({ type: FailureType.InvalidModelArtifact, nonRetryable: true, message });

      const lineage = sampleLineage({ dataset: { snapshotId: snapshot.snapshotId, sha256: snapshot.sha256 } });
      const registration = await failureOf(
        acts.registerCandidate({ modelId: spec.id, cycleId: 'c1', artifactSha256: sha256, lineage }),
      );
      expect(registration).toMatchObject({ type: FailureType.InvalidModelArtifact, nonRetryable: true, message });
      expect(await deps.registry.listVersions(spec.id)).toEqual([]);
    },
  );
});
