import { describe, expect, it } from 'vitest';
import { buildReferenceProfile } from '../../../../src/stats/drift/reference-profile.js';
import { driftReport } from '../../../../src/stats/drift/drift-report.js';
import { wasserstein1Normed } from '../../../../src/stats/drift/wasserstein.js';
import { numeric } from '../../../../src/stats/table.js';
import { GRID_MAX_BOUND, sketchGrid, type GridCell } from './sketch-grid.js';

/**
 * The sketch's documented bound, cell by cell: the exact normed Wasserstein lies within
 * the reported errorBound of the sketched value, the exact KS D within the reported range,
 * and a verdict that differs from the exact one is always flagged borderline.
 */
describe('quantile sketch error grid (reference 1,001 … 10⁶ rows × current 10 … 10⁶ rows)', () => {
  const cells: GridCell[] = [...sketchGrid()];

  it.each(cells.map((c) => [`${c.shape} ref ${c.referenceSize} cur ${c.currentSize} shift ${c.shift}`, c] as const))(
    '%s',
    (_name, c) => {
      const slack = 1e-9 * Math.max(1, c.exact);
      expect(Math.abs(c.sketch - c.exact)).toBeLessThanOrEqual(c.errorBound + slack);
      // The figure src/stats/drift/README.md states for this grid.
      expect(c.errorBound).toBeLessThanOrEqual(GRID_MAX_BOUND);
      expect(c.ksExact).toBeGreaterThanOrEqual(c.ksLower - 1e-12);
      expect(c.ksExact).toBeLessThanOrEqual(c.ksUpper + 1e-12);
      if (c.drifted !== c.exactDrifted) expect(c.borderline).toBe(true);
    },
  );

  it('covers the grid', () => {
    expect(cells.length).toBe(4 * 4 * 4 * 2);
  });
});

describe('the issue-15 near-threshold case on a 1,001-row reference', () => {
  const ref = Float64Array.from({ length: 1001 }, (_, i) => 10 * (i / 1000) ** 2);
  const cur = Float64Array.from({ length: 10 }, (_, j) => 10 * ((j + 0.5) / 10) ** 2 + 0.1775);
  const exact = wasserstein1Normed(ref, cur); // 0.1000748 (scipy): drift
  const current = { rowCount: 10, columns: { x: numeric(cur) } };

  it('is exact under the default profile (exactLimit 1500 keeps the sample)', () => {
    const col = driftReport(buildReferenceProfile({ rowCount: 1001, columns: { x: numeric(ref) } }), current)
      .columns[0]!;
    expect(exact).toBeCloseTo(0.1000748, 6);
    expect(col).toMatchObject({ approximate: false, borderline: false, drifted: true });
    expect(col.statistic).toBe(exact);
  });

  it('sketched, reports the verdict that may differ from the exact one as borderline, the exact value inside the bound', () => {
    const col = driftReport(
      buildReferenceProfile({ rowCount: 1001, columns: { x: numeric(ref) } }, { exactLimit: 1000 }),
      current,
    ).columns[0]!;
    expect(col.approximate).toBe(true);
    expect(Math.abs(col.statistic - exact)).toBeLessThanOrEqual(col.errorBound!);
    if (col.drifted !== exact >= 0.1) expect(col.borderline).toBe(true);
    console.info(
      `[issue-15 case] exact ${exact} sketch ${col.statistic} ± ${col.errorBound} drifted ${col.drifted} borderline ${col.borderline}`,
    );
  });
});
