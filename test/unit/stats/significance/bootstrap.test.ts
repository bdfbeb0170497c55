import { describe, expect, it } from 'vitest';
import { rocAuc } from '../../../../src/stats/metrics/index.js';
import { createRng } from '../../../../src/stats/random.js';
import { pairedBootstrap } from '../../../../src/stats/significance/index.js';
import { StatsInputError } from '../../../../src/stats/table.js';

/** Accuracy of hard 0/1 predictions. */
const accuracy = (y: Float64Array, pred: Float64Array): number => {
  let right = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === pred[i]) right++;
  return right / y.length;
};

/** Paired rows where the champion is right with pChampion and the challenger with pChallenger. */
function pairedPredictions(n: number, pChampion: number, pChallenger: number, seed: number) {
  const r = createRng(seed);
  const yTrue = new Float64Array(n),
    champion = new Float64Array(n),
    challenger = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = r.nextInt(2);
    const u = r.nextFloat(); // shared, so the two models' errors are correlated
    yTrue[i] = y;
    champion[i] = u < pChampion ? y : 1 - y;
    challenger[i] = u < pChallenger ? y : 1 - y;
  }
  return { yTrue, champion, challenger };
}

describe('pairedBootstrap', () => {
  it('is reproducible for a seed and changes with the seed', () => {
    const data = pairedPredictions(300, 0.7, 0.75, 1);
    const a = pairedBootstrap({ ...data, metric: accuracy, seed: 11, iterations: 500 });
    const b = pairedBootstrap({ ...data, metric: accuracy, seed: 11, iterations: 500 });
    const c = pairedBootstrap({ ...data, metric: accuracy, seed: 12, iterations: 500 });
    expect(b).toEqual(a);
    expect(c.ci).not.toEqual(a.ci);
    expect(a.observedDifference).toBeCloseTo(
      accuracy(data.yTrue, data.challenger) - accuracy(data.yTrue, data.champion),
      15,
    );
    expect(a.seed).toBe(11);
    expect(a.iterations).toBe(500);
  });

  it('agrees with the analytic normal interval of a paired difference of accuracies', () => {
    const n = 4000;
    const r = createRng(5);
    const yTrue = new Float64Array(n),
      champion = new Float64Array(n),
      challenger = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const y = r.nextInt(2);
      yTrue[i] = y;
      champion[i] = r.nextFloat() < 0.7 ? y : 1 - y;
      challenger[i] = r.nextFloat() < 0.74 ? y : 1 - y;
    }
    const result = pairedBootstrap({ yTrue, champion, challenger, metric: accuracy, seed: 3, iterations: 4000 });
    // d_i = right_challenger − right_champion; the analytic CI is mean(d) ± 1.96·sd(d)/√n.
    let sum = 0,
      sumSq = 0;
    for (let i = 0; i < n; i++) {
      const d = Number(challenger[i] === yTrue[i]) - Number(champion[i] === yTrue[i]);
      sum += d;
      sumSq += d * d;
    }
    const mean = sum / n;
    const se = Math.sqrt((sumSq / n - mean * mean) / n);
    const halfWidth = 1.959963984540054 * se;
    expect(Math.abs(result.ci[0] - (mean - halfWidth))).toBeLessThan(0.1 * halfWidth);
    expect(Math.abs(result.ci[1] - (mean + halfWidth))).toBeLessThan(0.1 * halfWidth);
    expect(Math.abs(result.standardError - se)).toBeLessThan(0.05 * se);
    expect(result.pValueOneSided).toBeLessThan(0.01);
  });

  it('covers a known difference at about the nominal rate', () => {
    // True accuracies 0.70 and 0.75: the true difference is 0.05.
    let covered = 0;
    const trials = 120;
    for (let t = 0; t < trials; t++) {
      const data = pairedPredictions(200, 0.7, 0.75, 1000 + t);
      const { ci } = pairedBootstrap({ ...data, metric: accuracy, seed: t, iterations: 400 });
      if (ci[0] <= 0.05 && 0.05 <= ci[1]) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.88);
    expect(covered / trials).toBeLessThanOrEqual(1);
  });

  it('gives a large one-sided p-value when the challenger is worse', () => {
    const data = pairedPredictions(500, 0.8, 0.7, 9);
    const result = pairedBootstrap({ ...data, metric: accuracy, seed: 1, iterations: 500 });
    expect(result.observedDifference).toBeLessThan(0);
    expect(result.pValueOneSided).toBeGreaterThan(0.95);
  });

  it('skips resamples where the metric is undefined and refuses when too many are', () => {
    // 1 positive in 200 rows: about 37% of resamples have none and ROC AUC is undefined there.
    const n = 200;
    const yTrue = new Float64Array(n),
      champion = new Float64Array(n),
      challenger = new Float64Array(n);
    const r = createRng(4);
    for (let i = 0; i < n; i++) {
      champion[i] = r.nextFloat();
      challenger[i] = r.nextFloat();
    }
    yTrue[0] = 1;
    expect(() => pairedBootstrap({ yTrue, champion, challenger, metric: rocAuc, seed: 1, iterations: 300 })).toThrow(
      /undefined on \d+ of 300 resamples/,
    );
    for (let i = 1; i < 40; i++) yTrue[i] = 1;
    const ok = pairedBootstrap({ yTrue, champion, challenger, metric: rocAuc, seed: 1, iterations: 300 });
    expect(ok.skipped).toBe(0);
    expect(ok.ci[0]).toBeLessThanOrEqual(ok.ci[1]);
  });

  it('rejects bad input with StatsInputError', () => {
    const base = { yTrue: [0, 1], champion: [0, 1], challenger: [1, 1], metric: accuracy, seed: 1 };
    expect(() => pairedBootstrap({ ...base, challenger: [1] })).toThrow(StatsInputError);
    expect(() => pairedBootstrap({ ...base, yTrue: [], champion: [], challenger: [] })).toThrow(/empty/);
    expect(() => pairedBootstrap({ ...base, champion: [0, Number.NaN] })).toThrow(StatsInputError);
    expect(() => pairedBootstrap({ ...base, iterations: 0 })).toThrow(/iterations/);
    expect(() => pairedBootstrap({ ...base, confidence: 1.5 })).toThrow(/confidence/);
    expect(() => pairedBootstrap({ ...base, seed: 0.5 })).toThrow(/seed/);
  });
});

describe('pairedBootstrap built-in metrics', () => {
  const n = 500;
  const r = createRng(77);
  const yTrue = new Float64Array(n),
    champion = new Float64Array(n),
    challenger = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    yTrue[i] = r.nextFloat() < 0.3 ? 1 : 0;
    const s = r.nextNormal();
    champion[i] = Math.round(100 / (1 + Math.exp(-(s + yTrue[i]!)))) / 100; // ties on purpose
    challenger[i] = 1 / (1 + Math.exp(-(s + 1.3 * yTrue[i]! + 0.5 * r.nextNormal())));
  }
  const functions = {
    accuracy,
    rocAuc,
    brier: (y: Float64Array, p: Float64Array) => p.reduce((s, v, i) => s + (v - y[i]!) ** 2, 0) / y.length,
    logLoss: (y: Float64Array, p: Float64Array) =>
      p.reduce(
        (s, v, i) => s - Math.log(Math.min(Math.max(y[i] === 1 ? v : 1 - v, Number.EPSILON), 1 - Number.EPSILON)),
        0,
      ) / y.length,
  };

  it.each(['rocAuc', 'brier', 'logLoss'] as const)(
    '%s gives the same resamples and numbers as the equivalent function',
    (name) => {
      const fast = pairedBootstrap({ yTrue, champion, challenger, metric: name, seed: 5, iterations: 300 });
      const slow = pairedBootstrap({ yTrue, champion, challenger, metric: functions[name], seed: 5, iterations: 300 });
      for (const key of ['observedDifference', 'pValueOneSided', 'standardError'] as const) {
        expect(Math.abs(fast[key] - slow[key])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(slow[key])));
      }
      expect(Math.abs(fast.ci[0] - slow.ci[0])).toBeLessThan(1e-12);
      expect(Math.abs(fast.ci[1] - slow.ci[1])).toBeLessThan(1e-12);
    },
  );

  it('accuracy thresholds probabilities at 0.5', () => {
    const hard = (p: Float64Array) => p.map((v) => (v >= 0.5 ? 1 : 0));
    const fast = pairedBootstrap({ yTrue, champion, challenger, metric: 'accuracy', seed: 2, iterations: 200 });
    const slow = pairedBootstrap({
      yTrue,
      champion: hard(champion),
      challenger: hard(challenger),
      metric: accuracy,
      seed: 2,
      iterations: 200,
    });
    expect(fast.ci).toEqual(slow.ci);
    expect(fast.observedDifference).toBe(slow.observedDifference);
  });

  it('rejects unknown names and inputs a built-in cannot score', () => {
    // @ts-expect-error: not a built-in
    expect(() => pairedBootstrap({ yTrue, champion, challenger, metric: 'f1', seed: 1 })).toThrow(
      /unknown metric "f1"/,
    );
    expect(() =>
      pairedBootstrap({ yTrue: [0, 1], champion: [0.2, 3], challenger: [0.1, 0.9], metric: 'rocAuc', seed: 1 }),
    ).toThrow(/champion\[1\] = 3/);
  });

  it('bootstraps ROC AUC on 2·10^4 rows × 2000 resamples in about a second', () => {
    const big = 20_000;
    const rr = createRng(8);
    const y = new Float64Array(big),
      p1 = new Float64Array(big),
      p2 = new Float64Array(big);
    for (let i = 0; i < big; i++) {
      y[i] = rr.nextFloat() < 0.2 ? 1 : 0;
      p1[i] = rr.nextFloat() * 0.7 + 0.3 * y[i]!;
      p2[i] = rr.nextFloat() * 0.6 + 0.4 * y[i]!;
    }
    const start = performance.now();
    const result = pairedBootstrap({ yTrue: y, champion: p1, challenger: p2, metric: 'rocAuc', seed: 1 });
    const seconds = (performance.now() - start) / 1000;
    expect(result.ci[0]).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(10);
  }, 60_000);
});
