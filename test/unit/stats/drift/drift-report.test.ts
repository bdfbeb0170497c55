import { describe, expect, it } from 'vitest';
import {
  buildReferenceProfile,
  parseReferenceProfile,
  serializeReferenceProfile,
} from '../../../../src/stats/drift/reference-profile.js';
import { driftReport } from '../../../../src/stats/drift/drift-report.js';
import { ksTwoSample } from '../../../../src/stats/drift/ks.js';
import { chiSquareHomogeneity } from '../../../../src/stats/drift/chi-square.js';
import { wasserstein1Normed } from '../../../../src/stats/drift/wasserstein.js';
import { categorical, numeric, type Table } from '../../../../src/stats/table.js';
import { categorySample, normalSample } from './synthetic.js';

const table = (columns: Table['columns']): Table => ({ rowCount: Object.values(columns)[0]!.values.length, columns });
const counts = (xs: readonly (string | null)[]): Record<string, number> =>
  xs.reduce<Record<string, number>>((m, x) => (x === null ? m : { ...m, [x]: (m[x] ?? 0) + 1 }), {});

describe('driftReport with a small reference (≤ 1000 rows: statistical tests)', () => {
  const n = 500;
  const ref = table({
    income: numeric(normalSample(1, n)),
    age: numeric(normalSample(2, n, 40, 10)),
    rooms: numeric(normalSample(3, n).map((x) => (x < -0.5 ? 1 : x < 0.5 ? 2 : 3))),
    churned: categorical(categorySample(4, n, ['no', 'yes'], [0.8, 0.2])),
    plan: categorical(categorySample(5, n, ['free', 'pro', 'team'], [0.6, 0.3, 0.1])),
  });
  const cur = table({
    income: numeric(normalSample(11, 400, 0.5)), // shifted
    age: numeric(normalSample(12, 400, 40, 10)),
    rooms: numeric(normalSample(13, 400).map((x) => (x < -0.5 ? 1 : x < 0.5 ? 2 : 3))),
    churned: categorical(categorySample(14, 400, ['no', 'yes'], [0.5, 0.5])), // shifted
    plan: categorical(categorySample(15, 400, ['free', 'pro', 'team', 'enterprise'], [0.6, 0.3, 0.1, 0.0001])),
  });
  const profile = buildReferenceProfile(ref);
  const report = driftReport(profile, cur);
  const col = (name: string) => report.columns.find((c) => c.column === name)!;

  it('picks Evidently’s default method per column', () => {
    expect(report.columns.map((c) => [c.column, c.method])).toEqual([
      ['income', 'ks'],
      ['age', 'ks'],
      ['rooms', 'chi-square'],
      ['churned', 'z-test'],
      ['plan', 'chi-square'],
    ]);
  });

  it('gives exactly the standalone test results (exact KS p-value from the stored sample)', () => {
    const ks = ksTwoSample(ref.columns.income!.values as Float64Array, cur.columns.income!.values as Float64Array);
    expect(col('income').statistic).toBe(ks.statistic);
    expect(col('income').pValue).toBe(ks.pValue);
    expect(col('income').approximate).toBe(false);
    const chi = chiSquareHomogeneity(
      counts(ref.columns.plan!.values as string[]),
      counts(cur.columns.plan!.values as string[]),
    );
    expect(col('plan').pValue).toBeCloseTo(chi.pValue, 14);
  });

  it('flags the shifted columns only and reports sizes and the dataset verdict', () => {
    expect(report.driftedColumns).toEqual(['income', 'churned']);
    expect(report.driftShare).toBeCloseTo(0.4, 12);
    expect(report.datasetDrift).toBe(false);
    expect(driftReport(profile, cur, { datasetDriftShare: 0.4 }).datasetDrift).toBe(true);
    expect(col('income')).toMatchObject({ referenceSize: 500, currentSize: 400, threshold: 0.05 });
  });

  it('Benjamini–Hochberg adjusts p-values upwards and never adds drift', () => {
    const bh = driftReport(profile, cur, { correction: 'benjamini-hochberg' });
    for (const c of bh.columns) expect(c.adjustedPValue!).toBeGreaterThanOrEqual(c.pValue!);
    expect(bh.driftedColumns.every((c) => report.driftedColumns.includes(c))).toBe(true);
  });

  it('honours per-column methods and thresholds', () => {
    const r = driftReport(profile, cur, {
      methods: { age: 'psi', income: 'wasserstein-normed' },
      columnThresholds: { age: 0.5 },
    });
    expect(r.columns[0]).toMatchObject({ method: 'wasserstein-normed', drifted: true });
    expect(r.columns[0]!.statistic).toBeCloseTo(
      wasserstein1Normed(ref.columns.income!.values as Float64Array, cur.columns.income!.values as Float64Array),
      12,
    );
    expect(r.columns[1]).toMatchObject({ method: 'psi', threshold: 0.5, drifted: false });
  });
});

describe('driftReport with a large reference (> 1000 rows: distances)', () => {
  const n = 20_000;
  const ref = table({
    x: numeric(normalSample(21, n)),
    y: numeric(normalSample(22, n, 5, 2)),
    city: categorical(categorySample(23, n, ['a', 'b', 'c'], [0.5, 0.3, 0.2])),
    flag: numeric(normalSample(24, n).map((v) => (v > 0 ? 1 : 0))),
  });
  const cur = table({
    x: numeric(normalSample(31, 10_000, 0.3)),
    y: numeric(normalSample(32, 10_000, 5, 2)),
    city: categorical(categorySample(33, 10_000, ['a', 'b', 'c', 'new'], [0.2, 0.3, 0.2, 0.3])),
    flag: numeric(normalSample(34, 10_000).map((v) => (v > 0 ? 1 : 0))),
  });
  const profile = parseReferenceProfile(serializeReferenceProfile(buildReferenceProfile(ref)));
  const report = driftReport(profile, cur);

  it('uses normed Wasserstein for numeric and Jensen–Shannon for categorical / few-valued columns', () => {
    expect(report.columns.map((c) => c.method)).toEqual([
      'wasserstein-normed',
      'wasserstein-normed',
      'jensen-shannon',
      'jensen-shannon',
    ]);
    expect(report.driftedColumns).toEqual(['x', 'city']);
    expect(report.datasetDrift).toBe(true);
  });

  it('handles a category never seen in the reference', () => {
    const city = report.columns[2]!;
    expect(city.distance!).toBeGreaterThan(0.1);
    const chi = driftReport(profile, cur, { methods: { city: 'chi-square' } }).columns[2]!;
    expect(chi.pValue).toBeLessThan(1e-100);
  });
});

describe('driftReport on degenerate but valid columns', () => {
  it('a constant reference larger than exactLimit (a one-edge sketch)', () => {
    const profile = parseReferenceProfile(
      serializeReferenceProfile(
        buildReferenceProfile({ rowCount: 3000, columns: { k: numeric(new Float64Array(3000).fill(7)) } }),
      ),
    );
    const same = driftReport(profile, { rowCount: 3, columns: { k: numeric([7, 7, 7]) } });
    expect(same.columns[0]).toMatchObject({ method: 'jensen-shannon', statistic: 0, drifted: false });
    const moved = driftReport(
      profile,
      { rowCount: 2, columns: { k: numeric([7, 7.01]) } },
      { methods: { k: 'wasserstein-normed' } },
    );
    // W₁ = 0.005, normed by the 0.001 floor on the std (Evidently's rule).
    expect(moved.columns[0]!.statistic).toBeCloseTo(5, 9);
    expect(moved.columns[0]!.drifted).toBe(true);
  });
});
