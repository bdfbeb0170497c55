import { describe, expect, it } from 'vitest';
import { runSignificance } from '../../../src/activities/evaluation/significance.js';
import { metricFunction } from '../../../src/activities/evaluation/model-metrics.js';
import { gatePolicySchema } from '../../../src/domain/policies/gate-policy.js';
import { createRng } from '../../../src/stats/random.js';
import { pairedBootstrap } from '../../../src/stats/significance/index.js';

// Held-out scores where the challenger is a little better than the champion.
function scores(n: number) {
  const rng = createRng(7);
  const yTrue = new Float64Array(n);
  const champion = new Float64Array(n);
  const challenger = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    yTrue[i] = rng.nextFloat() < 0.4 ? 1 : 0;
    champion[i] = Math.min(1, Math.max(0, 0.5 + (yTrue[i]! - 0.5) * 0.3 + (rng.nextFloat() - 0.5) * 0.8));
    challenger[i] = Math.min(1, Math.max(0, 0.5 + (yTrue[i]! - 0.5) * 0.4 + (rng.nextFloat() - 0.5) * 0.8));
  }
  return { yTrue, champion, challenger, championThreshold: 0.45, challengerThreshold: 0.55 };
}

describe('gate significance on the bootstrap built-ins', () => {
  const s = scores(3000);
  for (const metric of ['accuracy', 'brier'] as const) {
    it(`${metric}: same p-value and interval as the gate's own metric function`, () => {
      const policy = gatePolicySchema.parse({
        primaryMetric: metric,
        significance: { test: 'pairedBootstrap', bootstrapResamples: 400, seed: 11 },
      });
      const got = runSignificance(policy, 'binaryClassification', s)!;
      const sign = metric === 'brier' ? -1 : 1;
      const base = metricFunction('binaryClassification', metric, s.challengerThreshold);
      const want = pairedBootstrap({ ...s, metric: (y, p) => sign * base(y, p), iterations: 400, seed: 11 });
      expect(got.pValue).toBeCloseTo(want.pValueOneSided, 12);
      expect(got.estimate).toBeCloseTo(want.observedDifference, 12);
      expect([got.ciLow, got.ciHigh]).toEqual([expect.closeTo(want.ci[0], 12), expect.closeTo(want.ci[1], 12)]);
      expect(got.estimate).toBeGreaterThan(0); // the challenger is better, in the gate's sign convention
    });
  }
});
