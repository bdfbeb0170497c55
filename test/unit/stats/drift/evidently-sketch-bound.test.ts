import { describe, expect, it } from 'vitest';
import { buildReferenceProfile } from '../../../../src/stats/drift/reference-profile.js';
import { driftReport } from '../../../../src/stats/drift/drift-report.js';
import { numeric } from '../../../../src/stats/table.js';
import { generateNumeric, type NumericSpec } from './dataset-gen.js';
import { GRID_SHAPES } from './sketch-grid.js';

/**
 * Evidently-mode PSI and JS on a sketched reference (Sturges bins whose reference counts
 * are read off the sketch): the exact value — the same report on a profile holding the
 * whole reference — lies within the reported errorBound, and a verdict that differs from
 * the exact one is flagged borderline.
 */
const cases = GRID_SHAPES.flatMap(({ name, spec }) =>
  [2000, 20_000].flatMap((n) =>
    [50, 5000].flatMap((m) =>
      [0, 0.04].flatMap((shift) =>
        (['psi', 'jensen-shannon'] as const).map((method) => ({ name, spec, n, m, shift, method })),
      ),
    ),
  ),
);

describe("compatibility 'evidently': PSI and JS on a sketched reference stay within their errorBound", () => {
  it.each(cases.map((c) => [`${c.name} ref ${c.n} cur ${c.m} shift ${c.shift} ${c.method}`, c] as const))(
    '%s',
    (_label, c) => {
      const ref = generateNumeric({ ...c.spec, seed: 31 + c.n, n: c.n } as NumericSpec);
      const cur = generateNumeric({
        ...c.spec,
        loc: c.spec.loc + c.shift * c.spec.scale,
        seed: 77 + c.m,
        n: c.m,
      } as NumericSpec);
      const reference = { rowCount: c.n, columns: { x: numeric(ref) } };
      const current = { rowCount: c.m, columns: { x: numeric(cur) } };
      const options = { compatibility: 'evidently' as const, methods: { x: c.method } };
      const exact = driftReport(buildReferenceProfile(reference, { exactLimit: c.n }), current, options).columns[0]!;
      const sketched = driftReport(buildReferenceProfile(reference, { exactLimit: 1000 }), current, options)
        .columns[0]!;
      expect(exact.approximate).toBe(false);
      if (!sketched.approximate) return; // ≤ 20 distinct values: exact value counts either way
      expect(Math.abs(sketched.statistic - exact.statistic)).toBeLessThanOrEqual(
        sketched.errorBound! * (1 + 1e-9) + 1e-12,
      );
      if (sketched.drifted !== exact.drifted) expect(sketched.borderline).toBe(true);
    },
  );
});
