import { describe, expect, it } from 'vitest';
import { qualitySchemaFor } from '../../../../src/activities/data-activities.js';
import { parseModelSpec } from '../../../../src/domain/model-spec/model-spec.js';
import { checkDataQuality } from '../../../../src/stats/quality/check-data-quality.js';
import { categorical, numeric, type Table } from '../../../../src/stats/table.js';

/**
 * Every `validation` quality setting of a model spec, parsed as a spec would be and mapped
 * by the validateData activity's qualitySchemaFor, must move a finding.
 */
const specWith = (validation: Record<string, unknown>) =>
  parseModelSpec({
    id: 'quality-settings',
    task: 'binaryClassification',
    features: [
      { name: 'x', type: 'numeric', min: 0, max: 10 },
      { name: 'c', type: 'categorical', allowedValues: ['a', 'b'] },
    ],
    label: { name: 'y' },
    dataSource: { kind: 'synthetic', generator: { name: 'sea' } },
    trainer: { kind: 'builtin' },
    validation,
  });

// 100 rows: x has 4 missing and 3 out of range, c has 2 unseen values, y has 3 positives.
const n = 100;
const table: Table = {
  rowCount: n,
  columns: {
    x: numeric(Array.from({ length: n }, (_, i) => (i < 4 ? Number.NaN : i < 7 ? 20 : (i % 10) + 0.5))),
    c: categorical(Array.from({ length: n }, (_, i) => (i < 2 ? 'zzz' : i % 2 ? 'a' : 'b'))),
    y: numeric(Array.from({ length: n }, (_, i) => (i >= 97 ? 1 : 0))),
  },
};
const errors = (validation: Record<string, unknown>, check: string, column?: string) =>
  checkDataQuality(table, qualitySchemaFor(specWith(validation))).findings.filter(
    (f) => f.severity === 'error' && f.check === check && (column === undefined || f.column === column),
  ).length;

describe('validation quality settings each move a finding', () => {
  it('minRows', () => {
    expect(errors({ minRows: 100 }, 'row-count')).toBe(0);
    expect(errors({ minRows: 101 }, 'row-count')).toBe(1);
  });

  it('maxMissingRate and maxMissingRateByFeature', () => {
    expect(errors({ maxMissingRate: 0.05 }, 'missing-rate', 'x')).toBe(0);
    expect(errors({ maxMissingRate: 0.03 }, 'missing-rate', 'x')).toBe(1);
    expect(errors({ maxMissingRate: 0.03, maxMissingRateByFeature: { x: 0.05 } }, 'missing-rate', 'x')).toBe(0);
  });

  it('maxOutOfRangeRate, for numeric ranges and categorical allowed values', () => {
    expect(errors({ maxOutOfRangeRate: 0.05 }, 'range', 'x')).toBe(0);
    expect(errors({ maxOutOfRangeRate: 0.02 }, 'range', 'x')).toBe(1);
    expect(errors({ maxOutOfRangeRate: 0.05 }, 'unseen-categories', 'c')).toBe(0);
    expect(errors({ maxOutOfRangeRate: 0.01 }, 'unseen-categories', 'c')).toBe(1);
  });

  it('minClassRate', () => {
    expect(errors({ minClassRate: 0.03 }, 'class-balance')).toBe(0);
    expect(errors({ minClassRate: 0.05 }, 'class-balance')).toBe(1);
  });
});
