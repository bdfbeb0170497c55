import { describe, expect, it } from 'vitest';
import {
  binaryClassificationMetrics,
  fairnessGaps,
  regressionMetrics,
  rocAuc,
  sliceMetrics,
} from '../../../../src/stats/metrics/index.js';
import { StatsInputError } from '../../../../src/stats/table.js';

describe('metrics refuse input they cannot judge', () => {
  it.each([
    ['empty input', () => binaryClassificationMetrics([], []), /empty/],
    ['mismatched lengths', () => binaryClassificationMetrics([0, 1], [0.5]), /same length.*yTrue=2, probability=1/],
    ['probability above 1', () => binaryClassificationMetrics([0, 1], [0.5, 1.2]), /probability\[1\] = 1.2/],
    ['negative probability', () => binaryClassificationMetrics([0, 1], [-0.1, 0.2]), /\[0, 1\]/],
    ['NaN probability', () => binaryClassificationMetrics([0, 1], [Number.NaN, 0.2]), /NaN/],
    ['label 2', () => binaryClassificationMetrics([0, 2], [0.1, 0.2]), /yTrue\[1\] = 2; labels must be 0 or 1/],
    ['label -1', () => binaryClassificationMetrics([-1, 1], [0.1, 0.2]), /labels must be 0 or 1/],
    ['bad bin count', () => binaryClassificationMetrics([0, 1], [0.1, 0.2], { calibrationBins: 0 }), /calibrationBins/],
    ['NaN threshold', () => binaryClassificationMetrics([0, 1], [0.1, 0.2], { threshold: Number.NaN }), /threshold/],
    ['regression NaN', () => regressionMetrics([1, 2], [1, Number.NaN]), /yPred\[1\]/],
    ['regression Infinity', () => regressionMetrics([Infinity, 2], [1, 2]), /finite/],
    ['regression empty', () => regressionMetrics([], []), /empty/],
    ['slices mismatched', () => sliceMetrics(['a'], [0, 1], [0.1, 0.2]), /same length/],
    ['fairness soft predictions', () => fairnessGaps(['a', 'b'], [0, 1], [0.3, 1]), /yPred\[0\]/],
    ['fairness without positives', () => fairnessGaps(['a', 'b'], [0, 0], [0, 1]), /no group has a positive/],
    ['rocAuc single class', () => rocAuc([1, 1], [0.2, 0.3]), /only one class/],
  ])('%s', (_name, call, message) => {
    expect(call).toThrow(StatsInputError);
    expect(call).toThrow(message);
  });
});

describe('metrics on edge cases', () => {
  it('reports undefined ranking metrics as null, never NaN', () => {
    const m = binaryClassificationMetrics([0, 0, 0], [0.2, 0.7, 0.4]);
    expect(m.rocAuc).toBeNull();
    expect(m.averagePrecision).toBeNull();
    expect(m.recall).toBe(0);
    expect(Number.isFinite(m.logLoss)).toBe(true);
  });

  it('puts null slice values in a "(missing)" slice and can hide tiny slices', () => {
    const slices = sliceMetrics(['a', null, 'a', 'b', null, 'a'], [0, 1, 1, 0, 0, 1], [0.2, 0.7, 0.6, 0.1, 0.5, 0.9], {
      minRows: 2,
    });
    expect(slices.map((s) => [s.slice, s.count])).toEqual([
      ['a', 3],
      ['(missing)', 2],
      ['b', 1],
    ]);
    expect(slices[2]!.metrics).toBeNull();
    expect(slices[0]!.metrics!.accuracy).toBe(1);
  });

  it('lists groups without positives instead of counting them as TPR 0', () => {
    const gaps = fairnessGaps(['a', 'a', 'b', 'b', 'c'], [1, 0, 1, 1, 0], [1, 0, 0, 1, 1]);
    expect(gaps.groupsWithoutPositives).toEqual(['c']);
    expect(gaps.equalOpportunityDifference).toBe(0.5);
    expect(
      fairnessGaps(['a', 'a', 'b', 'b', 'c'], [1, 0, 1, 1, 0], [1, 0, 0, 1, 1], { groupsWithoutPositives: 'zero' })
        .equalOpportunityDifference,
    ).toBe(1);
  });

  it('computes metrics for 10^5 rows quickly', () => {
    const n = 100_000;
    const y = new Float64Array(n),
      p = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 3 === 0 ? 1 : 0;
      p[i] = ((i * 7919) % 1000) / 1000;
    }
    const start = performance.now();
    const m = binaryClassificationMetrics(y, p);
    const elapsed = performance.now() - start;
    expect(m.count).toBe(n);
    expect(elapsed).toBeLessThan(2000); // ~0.1 s idle; headroom for a loaded CI box
  });
});
