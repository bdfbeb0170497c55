import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../src/stats/random.js';
import { pairedBootstrap, type PairedMetric } from '../../../../src/stats/significance/index.js';

/** Held-out rows with tied (rounded) champion scores and a slightly better challenger. */
function heldOut() {
  const n = 1500;
  const r = createRng(31);
  const yTrue = new Float64Array(n),
    champion = new Float64Array(n),
    challenger = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    yTrue[i] = r.nextFloat() < 0.35 ? 1 : 0;
    const s = r.nextNormal();
    champion[i] = Math.round(100 / (1 + Math.exp(-(s + yTrue[i]!)))) / 100;
    challenger[i] = 1 / (1 + Math.exp(-(s + 1.2 * yTrue[i]! + 0.4 * r.nextNormal())));
  }
  return { yTrue, champion, challenger };
}

const thresholdedAccuracy: PairedMetric = (y, p) => {
  let right = 0;
  for (let i = 0; i < y.length; i++) if ((p[i]! >= 0.5 ? 1 : 0) === y[i]) right++;
  return right / y.length;
};

/**
 * [ci low, ci high, one-sided p, standard error, observed difference] printed by the
 * implementation before the speed-up (commit 61204a0: one nextInt call per draw, counts
 * per row for every built-in) for seed 2026 and 250 resamples.
 */
const BEFORE = {
  accuracy: [-0.011183333333333404, 0.023850000000000017, 0.276, 0.009118505244000947, 0.005333333333333301],
  rocAuc: [0.007237545805727826, 0.026573095226060113, 0, 0.0048822983345164096, 0.017017537991109943],
  brier: [-0.0022950241603450403, 0.0050598030627038, 0.24, 0.0019401334950278238, 0.0013437594391161323],
  logLoss: [-0.005200440512513649, 0.01357636151046205, 0.208, 0.004729166795307982, 0.004280720020481965],
  function: [-0.011183333333333404, 0.023850000000000017, 0.276, 0.009118505244000947, 0.005333333333333301],
} as const;

describe('pairedBootstrap fast paths', () => {
  const data = heldOut();
  const run = (name: keyof typeof BEFORE) => {
    const r = pairedBootstrap({
      ...data,
      metric: name === 'function' ? thresholdedAccuracy : name,
      seed: 2026,
      iterations: 250,
    });
    return [r.ci[0], r.ci[1], r.pValueOneSided, r.standardError, r.observedDifference];
  };

  it.each(['accuracy', 'rocAuc', 'function'] as const)(
    '%s gives bit for bit the numbers of the implementation before the speed-up',
    (name) => {
      // Same draws in the same order and exact integer counts: nothing may move.
      expect(run(name)).toEqual(BEFORE[name]);
    },
  );

  it.each(['brier', 'logLoss'] as const)(
    '%s gives the numbers of the implementation before the speed-up up to float rounding',
    (name) => {
      // Per-row terms are now summed in draw order rather than row order: same resamples,
      // sums that may differ in the last bits.
      const now = run(name);
      BEFORE[name].forEach((before, k) => expect(Math.abs(now[k]! - before)).toBeLessThan(1e-13));
    },
  );

  it.each(['accuracy', 'rocAuc'] as const)(
    'the built-in %s interval covers the true difference at about the nominal rate',
    (name) => {
      // Both models score a latent signal; the challenger's is sharper. The "true" difference
      // is the metric difference on a very large sample from the same process.
      const simulate = (n: number, seed: number) => {
        const r = createRng(seed);
        const yTrue = new Float64Array(n),
          champion = new Float64Array(n),
          challenger = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const y = r.nextFloat() < 0.4 ? 1 : 0;
          const shared = r.nextNormal();
          yTrue[i] = y;
          champion[i] = 1 / (1 + Math.exp(-(shared + 0.8 * (2 * y - 1) + 0.6 * r.nextNormal())));
          challenger[i] = 1 / (1 + Math.exp(-(shared + 1.0 * (2 * y - 1) + 0.6 * r.nextNormal())));
        }
        return { yTrue, champion, challenger };
      };
      const truth = pairedBootstrap({
        ...simulate(400_000, 1),
        metric: name,
        seed: 1,
        iterations: 1,
      }).observedDifference;
      let covered = 0;
      const trials = 200;
      for (let t = 0; t < trials; t++) {
        const { ci } = pairedBootstrap({ ...simulate(400, 5000 + t), metric: name, seed: t, iterations: 500 });
        if (ci[0] <= truth && truth <= ci[1]) covered++;
      }
      // Nominal 0.95; with 200 trials the binomial sd is 0.015, and percentile intervals run a little short on small samples.
      expect(covered / trials).toBeGreaterThan(0.89);
      expect(covered / trials).toBeLessThanOrEqual(0.99);
    },
  );

  it('built-in accuracy at a threshold, negated, gives bit for bit what the same function gives', () => {
    // What the evaluation gate bootstraps: one threshold for both models, and negation
    // for metrics where lower is better.
    const at =
      (t: number): PairedMetric =>
      (y, p) => {
        let right = 0;
        for (let i = 0; i < y.length; i++) if ((p[i]! >= t ? 1 : 0) === y[i]) right++;
        return right / y.length;
      };
    const fast = pairedBootstrap({ ...data, metric: 'accuracy', threshold: 0.3, seed: 4, iterations: 200 });
    const slow = pairedBootstrap({ ...data, metric: at(0.3), seed: 4, iterations: 200 });
    expect(fast).toEqual(slow);
    expect(fast.observedDifference).not.toBe(
      pairedBootstrap({ ...data, metric: 'accuracy', seed: 4, iterations: 200 }).observedDifference,
    );
    const negated = pairedBootstrap({
      ...data,
      metric: 'accuracy',
      threshold: 0.3,
      negate: true,
      seed: 4,
      iterations: 200,
    });
    const negatedSlow = pairedBootstrap({ ...data, metric: (y, p) => -1 * at(0.3)(y, p), seed: 4, iterations: 200 });
    expect(negated).toEqual(negatedSlow);
    expect(negated.championMetric).toBe(-slow.championMetric);
  });

  it('negated brier flips the differences, the interval and the p-value', () => {
    const plain = pairedBootstrap({ ...data, metric: 'brier', seed: 9, iterations: 300 });
    const negated = pairedBootstrap({ ...data, metric: 'brier', negate: true, seed: 9, iterations: 300 });
    expect(negated.observedDifference).toBe(-plain.observedDifference);
    expect(negated.ci[0]).toBeCloseTo(-plain.ci[1], 14);
    expect(negated.ci[1]).toBeCloseTo(-plain.ci[0], 14);
    // Shares of d ≤ 0 and of −d ≤ 0 add up to 1 plus the share of ties at zero.
    expect(negated.pValueOneSided + plain.pValueOneSided).toBeGreaterThanOrEqual(1);
    expect(plain.pValueOneSided).toBeGreaterThan(0);
  });

  it('refuses a threshold the metric would ignore', () => {
    expect(() => pairedBootstrap({ ...data, metric: 'rocAuc', threshold: 0.3, seed: 1 })).toThrow(
      /threshold applies to the built-in 'accuracy' only.*'rocAuc'/,
    );
    expect(() => pairedBootstrap({ ...data, metric: 'accuracy', threshold: Number.NaN, seed: 1 })).toThrow(
      /finite number/,
    );
  });
});
