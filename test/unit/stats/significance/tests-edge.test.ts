import { describe, expect, it } from 'vitest';
import { delongTest, mcnemarFromCounts, mcnemarTest } from '../../../../src/stats/significance/index.js';
import { StatsInputError } from '../../../../src/stats/table.js';

describe('mcnemarTest edge cases', () => {
  it('gives p = 1 when the models never disagree', () => {
    const r = mcnemarTest([0, 1, 1], [0, 1, 0], [0, 1, 0]);
    expect(r).toMatchObject({ b: 0, c: 0, exact: true, pValue: 1 });
  });
  it('switches to the chi-square test at 25 discordant rows', () => {
    expect(mcnemarFromCounts(12, 12).exact).toBe(true);
    expect(mcnemarFromCounts(12, 13).exact).toBe(false);
  });
  it('rejects bad input', () => {
    expect(() => mcnemarTest([0, 1], [0, 1], [0])).toThrow(StatsInputError);
    expect(() => mcnemarTest([0, 2], [0, 1], [0, 1])).toThrow(/labels must be 0 or 1/);
    expect(() => mcnemarTest([0, 1], [0, 0.5], [0, 1])).toThrow(
      /championPred\[1\] = 0.5; predictions must be hard 0\/1 classes/,
    );
    expect(() => mcnemarFromCounts(-1, 3)).toThrow(StatsInputError);
    expect(() => mcnemarFromCounts(0, 0, { exact: false })).toThrow(/no discordant rows/);
  });
});

describe('delongTest edge cases', () => {
  it('needs two rows of each class', () => {
    expect(() => delongTest([0, 1, 1], [0.1, 0.5, 0.7], [0.2, 0.4, 0.9])).toThrow(
      /at least 2 positives and 2 negatives/,
    );
  });
  it('rejects NaN and infinite scores', () => {
    expect(() => delongTest([0, 1, 0, 1], [0.1, Number.NaN, 0.2, 0.3], [0.1, 0.2, 0.3, 0.4])).toThrow(/finite/);
    expect(() => delongTest([0, 1, 0, 1], [0.1, 0.2, 0.2, 0.3], [0.1, Infinity, 0.3, 0.4])).toThrow(/finite/);
  });
  it('returns z = 0, p = 1 for identical rankings', () => {
    const r = delongTest([0, 1, 0, 1, 1, 0], [1, 2, 3, 4, 5, 6], [10, 20, 30, 40, 50, 60]);
    expect(r).toMatchObject({ difference: 0, variance: 0, z: 0, pValue: 1 });
  });
});
