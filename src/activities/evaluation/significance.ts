import type { SignificanceResult } from '../../domain/evaluation-gate/gate-result.js';
import type { Task } from '../../domain/features.js';
import { metricDirection, type GatePolicy } from '../../domain/policies/gate-policy.js';
import { delongTest, mcnemarTest, pairedBootstrap, type PairedBootstrapInput } from '../../stats/significance/index.js';
import { hardPredictions, metricFunction } from './model-metrics.js';

export interface PairedScores {
  readonly yTrue: Float64Array;
  readonly champion: Float64Array;
  readonly challenger: Float64Array;
  readonly championThreshold: number;
  readonly challengerThreshold: number;
}

/** A two-sided p-value turned one-sided for "the challenger is better" (the gate only promotes improvements). */
const oneSided = (twoSided: number, challengerBetter: boolean): number =>
  challengerBetter ? twoSided / 2 : 1 - twoSided / 2;

/**
 * Runs the policy's significance test on the primary metric; null when the policy says
 * `none`. Lower-is-better metrics are negated for the bootstrap so that "difference > 0"
 * always means "challenger better".
 */
export function runSignificance(policy: GatePolicy, task: Task, s: PairedScores): SignificanceResult | null {
  const { test, bootstrapResamples, seed } = policy.significance;
  const metric = policy.primaryMetric;
  switch (test) {
    case 'none':
      return null;
    case 'delong': {
      const r = delongTest(s.yTrue, s.champion, s.challenger);
      return { test, pValue: oneSided(r.pValue, r.difference > 0), estimate: r.difference };
    }
    case 'mcnemar': {
      const r = mcnemarTest(
        s.yTrue,
        hardPredictions(s.champion, s.championThreshold),
        hardPredictions(s.challenger, s.challengerThreshold),
      );
      const n = s.yTrue.length;
      return { test, pValue: oneSided(r.pValue, r.c > r.b), estimate: (r.c - r.b) / n };
    }
    case 'pairedBootstrap': {
      const sign: 1 | -1 = metricDirection[metric] === 'higherIsBetter' ? 1 : -1;
      // Thresholded metrics use one threshold for both models so the resampled comparison is like for like.
      const base = metricFunction(task, metric, s.challengerThreshold);
      const r = pairedBootstrap({
        yTrue: s.yTrue,
        champion: s.champion,
        challenger: s.challenger,
        ...bootstrapMetric(metric, s.challengerThreshold, sign, base),
        iterations: bootstrapResamples,
        seed,
      });
      return { test, pValue: r.pValueOneSided, estimate: r.observedDifference, ciLow: r.ci[0], ciHigh: r.ci[1] };
    }
  }
}

/**
 * rocAuc, accuracy and brier are the bootstrap's built-ins: computed from per-row terms,
 * several times faster than a function on big held-out sets, with the same differences
 * as the gate's functions. The rest (f1, logLoss, regression metrics) are sign-adjusted
 * O(n) functions; logLoss stays one because the built-in clips probabilities differently.
 */
function bootstrapMetric(
  metric: string,
  threshold: number,
  sign: 1 | -1,
  base: (y: Float64Array, p: Float64Array) => number,
): Pick<PairedBootstrapInput, 'metric' | 'threshold' | 'negate'> {
  if (metric === 'rocAuc') return { metric };
  if (metric === 'accuracy') return { metric, threshold };
  if (metric === 'brier') return { metric, negate: sign === -1 };
  return { metric: (y, p) => sign * base(y, p) };
}
