import { describe, expect, it } from 'vitest';
import {
  binaryClassificationMetrics,
  fairnessGaps,
  regressionMetrics,
  sliceMetrics,
} from '../../../../src/stats/metrics/index.js';
import { expectMetric, golden, named } from './golden.js';

const metricKeys = [
  'accuracy',
  'precision',
  'recall',
  'f1',
  'rocAuc',
  'averagePrecision',
  'logLoss',
  'brier',
  'expectedCalibrationError',
] as const;

describe('binary classification metrics match scikit-learn', () => {
  it.each(named(golden.binary))('%s', (_name, c) => {
    const m = binaryClassificationMetrics(c.yTrue, c.probability, {
      threshold: c.threshold,
      calibrationBins: c.calibrationBins,
    });
    for (const key of metricKeys) expectMetric(m[key], c.expected[key], key);
    expect(m.confusion).toEqual(c.expected.confusion);
  });
});

describe('regression metrics match scikit-learn', () => {
  it.each(named(golden.regression))('%s', (_name, c) => {
    const m = regressionMetrics(c.yTrue, c.yPred);
    for (const key of ['mae', 'rmse', 'r2'] as const) expectMetric(m[key], c.expected[key], key);
  });
});

describe('slice metrics match scikit-learn per slice', () => {
  it.each(named(golden.slices))('%s', (_name, c) => {
    const slices = sliceMetrics(c.slices, c.yTrue, c.probability);
    expect(slices.map((s) => s.slice).sort()).toEqual(Object.keys(c.expected).sort());
    for (const s of slices) {
      const e = c.expected[s.slice];
      expect(s.count).toBe(e.count);
      expect(s.positives).toBe(e.positives);
      for (const key of metricKeys) expectMetric(s.metrics![key], e.metrics[key], `${s.slice}.${key}`);
    }
    expect(slices.find((s) => s.slice === 'g0')!.metrics!.rocAuc).toBeNull();
  });
});

describe('fairness gaps match fairlearn', () => {
  it.each(named(golden.fairness))('%s', (_name, c) => {
    const zero = fairnessGaps(c.groups, c.yTrue, c.yPred, { groupsWithoutPositives: 'zero' });
    expectMetric(zero.demographicParityDifference, c.expected.demographicParityDifference, 'demographic parity');
    expectMetric(
      zero.equalOpportunityDifference,
      c.expected.equalOpportunityDifferenceZero,
      'equal opportunity (fairlearn)',
    );
    const excluded = fairnessGaps(c.groups, c.yTrue, c.yPred);
    expectMetric(
      excluded.equalOpportunityDifference,
      c.expected.equalOpportunityDifferenceExclude,
      'equal opportunity (exclude)',
    );
  });
});
