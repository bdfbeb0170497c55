import { describe, expect, it } from 'vitest';
import {
  latencyScan,
  p95RankFromTop,
  ROLLUP_BUCKET_MS as B,
  servedByOf,
  sumByVersion,
  walkLength,
  windowParts,
} from '../../../src/adapters/serving-state/live-metrics-plan.js';

describe('live-metrics plan', () => {
  it('reads whole buckets from the rollup and only the partial edges from raw rows', () => {
    expect(windowParts(10 * B + 5, 20 * B + 7)).toEqual({
      buckets: [11 * B, 20 * B],
      raw: [
        [10 * B + 5, 11 * B],
        [20 * B, 20 * B + 7],
      ],
    });
    expect(windowParts(10 * B, 20 * B)).toEqual({ buckets: [10 * B, 20 * B], raw: [] });
    expect(windowParts(10 * B + 1, 11 * B - 1)).toEqual({ buckets: null, raw: [[10 * B + 1, 11 * B - 1]] });
    expect(windowParts(10 * B + 1, 11 * B + 1)).toEqual({ buckets: null, raw: [[10 * B + 1, 11 * B + 1]] });
    expect(windowParts(5, 5)).toEqual({ buckets: null, raw: [] });
  });

  it('ranks the nearest-rank p95 from the top, and walks the latency index only when that reads less', () => {
    // n = 100: the 95th smallest is the 6th largest; n = 1: the only value.
    expect([p95RankFromTop(100), p95RankFromTop(1), p95RankFromTop(20)]).toEqual([6, 1, 2]);
    expect(latencyScan(900_000, 45_001, 900_000)).toBe('walk');
    expect(latencyScan(100_000, 5_001, 50_000_000)).toBe('window'); // a thin slice of a long log: sort the window
    expect(latencyScan(1_000, 51)).toBe('window');
  });

  it('sizes a walk to reach m rows of the window with a margin, never beyond the whole version', () => {
    // The whole log (m = 44,901 of 898,000): a few hundred more than m. The last 5 min, 30% of it: about m / 0.3.
    expect(walkLength(898_000, 44_901, 898_000)).toBe(45_781);
    expect(walkLength(269_400, 13_471, 898_000)).toBe(46_558);
    expect(walkLength(20, 2, 30)).toBe(30);
  });

  it('adds the parts per version and counts rows per named replica', () => {
    const part = (version: number, replica: string, count: number) => ({
      version,
      replica,
      count,
      errors: 1,
      labeled: 2,
      correct: 1,
      absErr: 0.5,
    });
    const parts = [part(1, 'gw-a', 10), part(2, '', 4), part(1, '', 5), part(1, 'gw-b', 3)];
    expect(sumByVersion(parts).map((v) => [v.version, v.count, v.errors, v.absErr])).toEqual([
      [1, 18, 3, 1.5],
      [2, 4, 1, 0.5],
    ]);
    expect(servedByOf(parts)).toEqual({ 'gw-a': 10, 'gw-b': 3 });
    expect(servedByOf([part(1, '', 5)])).toBeUndefined();
  });
});
