import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildReferenceProfile } from '../../../../src/stats/drift/reference-profile.js';
import { driftReport } from '../../../../src/stats/drift/drift-report.js';
import type { DriftMethod } from '../../../../src/stats/drift/drift-method.js';
import { categorical, numeric, type Column, type Table } from '../../../../src/stats/table.js';
import { generateColumn, type ColumnSpec } from './dataset-gen.js';
import { closeTo } from './golden-data.js';

/**
 * Replays test/fixtures/golden-drift-evidently.json (scripts/golden/drift_evidently_cases.py:
 * Evidently 0.7's DataDriftPreset on generated datasets) through driftReport in
 * `compatibility: 'evidently'` mode, with a profile that keeps the full reference
 * (exactLimit = reference rows), so nothing is approximated.
 */
type Side = ColumnSpec | { values: Array<number | string | null> };
interface FixtureColumn {
  name: string;
  kind: 'numeric' | 'categorical';
  reference: Side;
  current: Side;
  method?: DriftMethod;
}
interface Expected {
  columns: Record<string, { method: DriftMethod; score: number; drifted: boolean }>;
  driftShare: number;
  datasetDrift: boolean;
}
interface Fixture {
  versions: Record<string, string>;
  tolerance: { scoreRelative: number; pValueAbsolute: number };
  datasets: Array<{ id: string; columns: FixtureColumn[]; expected: Expected }>;
}

const fixture = JSON.parse(
  readFileSync(new URL('../../../fixtures/golden-drift-evidently.json', import.meta.url), 'utf8'),
) as Fixture;

function column(kind: FixtureColumn['kind'], side: Side): Column {
  if ('values' in side)
    return kind === 'numeric'
      ? numeric(side.values.map((v) => (v === null ? Number.NaN : (v as number))))
      : categorical(side.values as Array<string | null>);
  return generateColumn(side);
}

function table(columns: FixtureColumn[], side: 'reference' | 'current'): Table {
  const out: Record<string, Column> = {};
  for (const c of columns) out[c.name] = column(c.kind, c[side]);
  return { rowCount: Object.values(out)[0]!.values.length, columns: out };
}

describe(`compatibility 'evidently' equals Evidently ${fixture.versions.evidently} column for column`, () => {
  const { scoreRelative, pValueAbsolute } = fixture.tolerance;
  let columnsCompared = 0;

  it.each(fixture.datasets.map((d) => [d.id, d] as const))('%s', (_id, ds) => {
    const reference = table(ds.columns, 'reference');
    const current = table(ds.columns, 'current');
    const profile = buildReferenceProfile(reference, { exactLimit: reference.rowCount });
    const methods = Object.fromEntries(ds.columns.filter((c) => c.method).map((c) => [c.name, c.method!]));
    const report = driftReport(profile, current, { compatibility: 'evidently', methods });
    for (const c of report.columns) {
      const e = ds.expected.columns[c.column]!;
      const score = c.pValue ?? c.statistic;
      const isP = c.pValue !== undefined;
      const where = `${ds.id} ${c.column} (${c.method}): ours ${score}, Evidently ${e.score}`;
      expect(c.method, where).toBe(e.method);
      expect(closeTo(score, e.score, scoreRelative, isP ? pValueAbsolute : 0), where).toBe(true);
      expect(c.drifted, where).toBe(e.drifted);
      expect(c.approximate, where).toBe(false);
      columnsCompared++;
    }
    expect(report.driftShare).toBeCloseTo(ds.expected.driftShare, 12);
    expect(report.datasetDrift, ds.id).toBe(ds.expected.datasetDrift);
  });

  it('covers at least 50 datasets and every method', () => {
    expect(fixture.datasets.length).toBeGreaterThanOrEqual(50);
    const methods = new Set(fixture.datasets.flatMap((d) => Object.values(d.expected.columns).map((c) => c.method)));
    expect([...methods].sort()).toEqual(['chi-square', 'jensen-shannon', 'ks', 'psi', 'wasserstein-normed', 'z-test']);
    expect(columnsCompared).toBe(fixture.datasets.reduce((s, d) => s + d.columns.length, 0));
  });
});

describe(`compatibility 'evidently' on the default (sketched) profile: Evidently's value inside every reported bound`, () => {
  it.each(fixture.datasets.map((d) => [d.id, d] as const))('%s', (_id, ds) => {
    const reference = table(ds.columns, 'reference');
    const current = table(ds.columns, 'current');
    const methods = Object.fromEntries(ds.columns.filter((c) => c.method).map((c) => [c.name, c.method!]));
    const report = driftReport(buildReferenceProfile(reference), current, { compatibility: 'evidently', methods });
    for (const c of report.columns) {
      const e = ds.expected.columns[c.column]!;
      const where = `${ds.id} ${c.column} (${c.method}): ours ${c.pValue ?? c.statistic} ± ${c.errorBound}, Evidently ${e.score}`;
      expect(c.method, where).toBe(e.method);
      if (c.approximate) {
        if (c.pValue !== undefined) {
          const [lo, hi] = c.pValueRange!;
          expect(e.score >= lo - 1e-12 && e.score <= hi + 1e-12, where).toBe(true);
        } else {
          expect(c.errorBound, where).toBeDefined();
          expect(Math.abs(c.statistic - e.score), where).toBeLessThanOrEqual(c.errorBound! * (1 + 1e-9) + 1e-12);
        }
      }
      if (c.drifted !== e.drifted) expect(c.borderline, where).toBe(true);
    }
  });
});
