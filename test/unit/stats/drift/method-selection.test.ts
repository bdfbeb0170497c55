import { describe, expect, it } from 'vitest';
import { selectDriftMethod } from '../../../../src/stats/drift/method-selection.js';
import { StatsInputError } from '../../../../src/stats/table.js';

describe('selectDriftMethod (Evidently defaults)', () => {
  it.each([
    ['numeric', 1000, 6, 'ks'],
    ['numeric', 1000, 5, 'chi-square'],
    ['numeric', 200, 3, 'chi-square'],
    ['numeric', 200, 2, 'z-test'],
    ['categorical', 1000, 40, 'chi-square'],
    ['categorical', 10, 2, 'z-test'],
    ['categorical', 10, 1, 'z-test'],
    ['numeric', 1001, 6, 'wasserstein-normed'],
    ['numeric', 1001, 5, 'jensen-shannon'],
    ['categorical', 50_000, 2, 'jensen-shannon'],
    ['categorical', 50_000, 300, 'jensen-shannon'],
  ] as const)('%s column, reference %i rows, %i distinct → %s', (kind, referenceSize, uniqueCount, expected) => {
    expect(selectDriftMethod({ kind, referenceSize, uniqueCount })).toBe(expected);
  });

  it('rejects sizes that cannot describe a sample', () => {
    expect(() => selectDriftMethod({ kind: 'numeric', referenceSize: 0, uniqueCount: 3 })).toThrow(StatsInputError);
    expect(() => selectDriftMethod({ kind: 'numeric', referenceSize: 10, uniqueCount: Number.NaN })).toThrow(
      StatsInputError,
    );
  });
});
