import { describe, expect, it } from 'vitest';
import {
  chiSquare1Sf,
  delongTest,
  erfc,
  mcnemarFromCounts,
  mcnemarTest,
  normalTwoSidedP,
} from '../../../../src/stats/significance/index.js';
import { expectMetric, expectPValue, golden, named, pairs } from '../metrics/golden.js';

describe('McNemar matches statsmodels mcnemar(correction=True)', () => {
  it.each(named(golden.mcnemarCounts))('%s', (_name, c) => {
    const r = mcnemarFromCounts(c.b, c.c, c.forced ? { exact: c.exact } : {});
    expect(r.exact).toBe(c.exact);
    expectMetric(r.statistic, c.statistic, 'statistic');
    expectPValue(r.pValue, c.pValue, 'pValue');
  });

  it.each(named(golden.mcnemarPredictions))('%s', (_name, c) => {
    const r = mcnemarTest(c.yTrue, c.championPred, c.challengerPred);
    expect([r.b, r.c, r.exact]).toEqual([c.b, c.c, c.exact]);
    expectMetric(r.statistic, c.statistic, 'statistic');
    expectPValue(r.pValue, c.pValue, 'pValue');
  });
});

describe('DeLong matches the reference implementation', () => {
  it.each(named(golden.delong))('%s', (_name, c) => {
    const r = delongTest(c.yTrue, c.championScore, c.challengerScore);
    const e = c.expected;
    for (const key of [
      'aucChampion',
      'aucChallenger',
      'difference',
      'variance',
      'varianceChampion',
      'varianceChallenger',
      'covariance',
      'z',
    ] as const) {
      expectMetric(r[key], e[key], key);
    }
    expectPValue(r.pValue, e.pValue, 'pValue');
  });
});

describe('tail probabilities match scipy', () => {
  it.each(pairs(golden.special.erfc, 'x'))('erfc(%s)', (x, expected) => {
    expectPValue(erfc(x), expected, 'erfc');
  });
  it.each(pairs(golden.special.normalTwoSidedP, 'z'))('2·sf(%s)', (z, expected) => {
    expectPValue(normalTwoSidedP(z), expected, 'normal');
  });
  it.each(pairs(golden.special.chiSquare1Sf, 'x'))('chi2.sf(%s, 1)', (x, expected) => {
    expectPValue(chiSquare1Sf(x), expected, 'chi2');
  });
});
