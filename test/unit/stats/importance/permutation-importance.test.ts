import { describe, expect, it } from 'vitest';
import { normaliseShares, permutationImportance } from '../../../../src/stats/importance/permutation-importance.js';
import { createRng } from '../../../../src/stats/random.js';
import { numeric, type Table } from '../../../../src/stats/table.js';

/** Label = [a > 0]; `b` is noise the model ignores. */
function rows(n: number): Table {
  const rng = createRng(7);
  const a = Float64Array.from({ length: n }, () => rng.nextNormal());
  const b = Float64Array.from({ length: n }, () => rng.nextNormal());
  return { rowCount: n, columns: { a: numeric(a), b: numeric(b), y: numeric(a.map((v) => (v > 0 ? 1 : 0))) } };
}

const model = async (t: Table) => {
  const a = t.columns.a!.values as Float64Array;
  return a.map((v) => 1 / (1 + Math.exp(-4 * v)));
};

const accuracyAgainst = (t: Table) => (scores: Float64Array) => {
  const y = t.columns.y!.values as Float64Array;
  return scores.reduce((s, p, i) => s + ((p >= 0.5 ? 1 : 0) === y[i] ? 1 : 0), 0) / scores.length;
};

describe('permutation importance', () => {
  it('gives the feature the model reads all the importance and the ignored one none, deterministically', async () => {
    const t = rows(400);
    const run = () =>
      permutationImportance({ rows: t, features: ['a', 'b'], score: model, quality: accuracyAgainst(t), seed: 3 });
    const first = await run();
    expect(first.baseline).toBe(1);
    expect(first.drop.a).toBeGreaterThan(0.4);
    expect(first.drop.b).toBe(0);
    expect(first.normalised).toEqual({ a: 1, b: 0 });
    expect(await run()).toEqual(first);
  });

  it('normalises to non-negative shares summing to 1, all zero when nothing matters', () => {
    const shares = normaliseShares({ a: 0.3, b: 0.1, c: -0.05 });
    expect(shares.a).toBeCloseTo(0.75, 12);
    expect(shares.b).toBeCloseTo(0.25, 12);
    expect(shares.c).toBe(0);
    expect(normaliseShares({ a: -0.01, b: 0 })).toEqual({ a: 0, b: 0 });
  });
});
