import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../src/stats/random.js';
import { StatsInputError } from '../../../../src/stats/table.js';
import { golden, named } from '../metrics/golden.js';

describe('createRng (xoshiro128** seeded by splitmix32)', () => {
  it.each(named(golden.random, 'seed'))('matches the independent Python reference for seed %s', (_seed, c) => {
    const seed = c.seed as number;
    const words = createRng(seed);
    expect(Array.from({ length: 16 }, () => words.nextUint32())).toEqual(c.uint32);
    const fl = createRng(seed);
    expect(Array.from({ length: 4 }, () => fl.nextFloat())).toEqual(c.floats);
  });

  it('is reproducible and seeds give different streams', () => {
    const a = createRng(7),
      b = createRng(7),
      c = createRng(8);
    const draw = (r: ReturnType<typeof createRng>) => Array.from({ length: 10 }, () => r.nextFloat());
    const first = draw(a);
    expect(draw(b)).toEqual(first);
    expect(draw(c)).not.toEqual(first);
  });

  it('draws uniform floats, unbiased integers and standard normals', () => {
    const r = createRng(2026);
    const n = 200_000;
    let sum = 0,
      sumSq = 0,
      min = 1,
      max = 0;
    const buckets = new Array<number>(7).fill(0);
    let normalSum = 0,
      normalSq = 0;
    for (let i = 0; i < n; i++) {
      const u = r.nextFloat();
      sum += u;
      sumSq += u * u;
      min = Math.min(min, u);
      max = Math.max(max, u);
      buckets[r.nextInt(7)]! += 1;
      const z = r.nextNormal();
      normalSum += z;
      normalSq += z * z;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sumSq / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 2);
    for (const count of buckets) expect(Math.abs(count / n - 1 / 7)).toBeLessThan(0.005);
    expect(normalSum / n).toBeCloseTo(0, 1);
    expect(normalSq / n).toBeCloseTo(1, 1);
  });

  it('refuses seeds and bounds it cannot honour', () => {
    expect(() => createRng(1.5)).toThrow(StatsInputError);
    expect(() => createRng(Number.NaN)).toThrow(StatsInputError);
    expect(() => createRng(1).nextInt(0)).toThrow(StatsInputError);
  });
});
