import { describe, expect, it } from 'vitest';
import { evaluateModels } from '../../../src/activities/evaluation/evaluate-models.js';
import { LinearScorer } from '../../../src/adapters/model-formats/linear/linear-scorer.js';
import { metricFunction, metricValues } from '../../../src/activities/evaluation/model-metrics.js';
import { LINEAR_MODEL_FORMAT, type LinearModel } from '../../../src/domain/model-format/index.js';
import { gatePolicySchema, type GatePolicyInput } from '../../../src/domain/policies/gate-policy.js';
import { binaryClassificationMetrics } from '../../../src/stats/metrics/index.js';
import { createRng } from '../../../src/stats/random.js';
import { categorical, numeric, type Table } from '../../../src/stats/table.js';

/** y = 1 when x + noise > 0; group "b" rows have a shifted x so a model can treat groups differently. */
function dataset(n: number, seed: number): Table {
  const rng = createRng(seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const g: string[] = [];
  for (let i = 0; i < n; i++) {
    g.push(i % 3 === 0 ? 'b' : 'a');
    x[i] = rng.nextNormal();
    y[i] = x[i]! + 0.5 * rng.nextNormal() > 0 ? 1 : 0;
  }
  return { rowCount: n, columns: { x: numeric(x), group: categorical(g), label: numeric(y) } };
}

const model = (weight: number, groupB = 0): LinearModel => ({
  format: LINEAR_MODEL_FORMAT,
  task: 'binaryClassification',
  label: 'label',
  features: [
    { name: 'x', kind: 'numeric', mean: 0, std: 1, weight },
    { name: 'group', kind: 'categorical', categories: ['a', 'b'], weights: [0, groupB] },
  ],
  intercept: 0,
  metadata: {},
});

const run = (
  policy: GatePolicyInput,
  challenger: LinearModel,
  champion: LinearModel | null,
  heldOut = dataset(2000, 7),
) =>
  evaluateModels({
    policy: gatePolicySchema.parse(policy),
    task: 'binaryClassification',
    heldOut,
    labelName: 'label',
    challenger: new LinearScorer('challenger', challenger),
    challengerSizeBytes: 800,
    champion: champion && new LinearScorer('champion', champion),
  });

describe('evaluateModels', () => {
  it('promotes a better-informed challenger and rejects a noisy one, on every significance test', async () => {
    const good = model(3);
    const noisy = model(0.3, 2); // weak on x, and pushes group b positive regardless of x
    for (const [test, primaryMetric] of [
      ['pairedBootstrap', 'rocAuc'],
      ['delong', 'rocAuc'],
      ['mcnemar', 'accuracy'],
      ['pairedBootstrap', 'logLoss'],
    ] as const) {
      const policy = { primaryMetric, significance: { test, bootstrapResamples: 300 } };
      expect([test, primaryMetric, (await run(policy, good, noisy)).decision]).toEqual([
        test,
        primaryMetric,
        'promote',
      ]);
      const back = await run(policy, noisy, good);
      expect(back.decision).toBe('reject');
      expect(back.significance!.pValue).toBeGreaterThan(0.5);
    }
  });

  it('fails the significance check, with the cause, when the test cannot run on the held-out rows', async () => {
    const oneClass = dataset(200, 3);
    (oneClass.columns.label!.values as Float64Array).fill(1);
    const r = await run({ primaryMetric: 'rocAuc', significance: { test: 'delong' } }, model(3), model(1), oneClass);
    expect(r.decision).toBe('reject');
    expect(r.significanceError).toMatch(/delongTest/);
    expect(r.reasons.find((x) => x.code === 'significance')?.message).toMatch(/was not run/);
    // ROC AUC is undefined with one class: the gate reports the metric as missing, never NaN.
    expect(r.reasons.find((x) => x.code === 'primary_improvement')?.message).toMatch(
      /rocAuc is missing for the challenger/,
    );
  });

  it('computes slice and fairness evidence from the held-out columns', async () => {
    const r = await run(
      {
        primaryMetric: 'accuracy',
        minImprovement: 0,
        significance: { test: 'none' },
        slices: [{ column: 'group', maxDrop: 0.01, minRows: 50 }],
        fairness: [{ groupColumn: 'group', maxDemographicParityDiff: 0.1 }],
      },
      model(3, 4), // great on x but says "positive" for almost every group-b row
      model(3),
    );
    expect(r.decision).toBe('reject');
    const sliceB = r.reasons.find((x) => x.subject === 'slice group=b');
    expect(sliceB?.status).toBe('failed');
    expect(r.reasons.find((x) => x.subject === 'slice group=a')?.status).toBe('passed');
    const dp = r.reasons.find((x) => x.code === 'demographic_parity');
    expect(dp?.status).toBe('failed');
    expect(dp!.observed!).toBeGreaterThan(0.3);
  });

  it('judges a first model on floors only and measures its latency', async () => {
    const r = await run({ absoluteFloors: { rocAuc: 0.8 } }, model(3), null);
    expect(r.decision).toBe('promote');
    expect(r.metrics.champion).toBeNull();
    expect(r.latencyP95Ms).toBeGreaterThan(0);
    expect(r.latencyP95Ms).toBeLessThan(1);
    expect(r.reasons.find((x) => x.code === 'absolute_floor')?.status).toBe('passed');
  });
});

describe('bootstrap metric functions', () => {
  it('agree with the stats library on the full sample', () => {
    const rng = createRng(11);
    const y = Float64Array.from({ length: 500 }, () => (rng.nextFloat() < 0.4 ? 1 : 0));
    const p = Float64Array.from(y, (v) => Math.min(1, Math.max(0, 0.3 * v + 0.7 * rng.nextFloat())));
    const ref = binaryClassificationMetrics(y, p, { threshold: 0.45 });
    const all = metricValues('binaryClassification', y, p, 0.45);
    for (const m of ['accuracy', 'f1', 'logLoss', 'brier', 'rocAuc'] as const) {
      expect(metricFunction('binaryClassification', m, 0.45)(y, p)).toBeCloseTo(all[m]!, 12);
    }
    expect(all.accuracy).toBe(ref.accuracy);
  });
});
