import { describe, expect, it } from 'vitest';
import { checkDataQuality, QualityCheck, type QualityReport } from '../../../../src/stats/quality/index.js';
import { categorical, numeric, StatsInputError } from '../../../../src/stats/table.js';
import { cleanColumns, schema, table } from './fixtures.js';

const only = (report: QualityReport, check: string) => report.findings.filter((f) => f.check === check);

describe('checkDataQuality', () => {
  it('passes a clean batch with no findings and summarises every column', () => {
    const report = checkDataQuality(table(cleanColumns()), schema);
    expect(report.findings).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.rowCount).toBe(400);
    const age = report.columns.find((c) => c.name === 'age')!;
    expect(age).toMatchObject({ kind: 'numeric', missingRate: 0, missingCount: 0 });
    expect(age.min).toBeGreaterThanOrEqual(18);
    expect(age.max).toBeLessThanOrEqual(100);
    expect(report.columns.find((c) => c.name === 'country')!.uniqueCount).toBe(4);
  });

  it('flags a missing required column as an error and ignores an absent optional one', () => {
    const { income: _dropped, ...rest } = cleanColumns();
    const report = checkDataQuality(table(rest), schema);
    expect(report.passed).toBe(false);
    const [finding] = only(report, QualityCheck.requiredColumn);
    expect(finding).toMatchObject({ column: 'income', severity: 'error' });
    expect(finding!.message).toBe(
      'column "income" is required but absent from the batch; add it to the export or mark it required: false',
    );
    expect(report.findings.some((f) => f.column === 'nickname')).toBe(false);
  });

  it('flags text in a numeric column as a type error with examples', () => {
    const cols = cleanColumns();
    cols.age = categorical(Array.from({ length: 400 }, (_, i) => (i === 7 ? 'forty' : String(30 + (i % 5)))));
    const [finding] = only(checkDataQuality(table(cols), schema), QualityCheck.columnType);
    expect(finding).toMatchObject({ column: 'age', severity: 'error', observed: 'categorical', limit: 'numeric' });
    expect(finding!.message).toMatch(
      /^column "age": expected numbers but found text values \(e\.g\. "forty", "30", "31", …\); fix the export/,
    );
  });

  it('flags ±Infinity as non-finite', () => {
    const cols = cleanColumns();
    const income = Float64Array.from(cols.income!.values as Float64Array);
    income[3] = Infinity;
    income[9] = -Infinity;
    cols.income = numeric(income);
    const [finding] = only(checkDataQuality(table(cols), schema), QualityCheck.nonFinite);
    expect(finding).toMatchObject({ column: 'income', severity: 'error', observed: 2, limit: 0 });
    expect(finding!.message).toContain('2 value(s) are ±Infinity');
  });

  it('flags a missing rate above the limit with the message a person can act on', () => {
    const cols = cleanColumns();
    const age = Float64Array.from(cols.age!.values as Float64Array);
    for (let i = 0; i < 50; i++) age[i * 8] = NaN; // 50 of 400 = 12.5%
    cols.age = numeric(age);
    const report = checkDataQuality(table(cols), schema);
    const [finding] = only(report, QualityCheck.missingRate);
    expect(finding).toMatchObject({ column: 'age', severity: 'error', observed: 0.125, limit: 0.05 });
    expect(finding!.message).toBe(
      'column "age": 12.5% missing exceeds the limit of 5%; fix the upstream export or raise validation.maxMissingRate (or validation.columns["age"].maxMissingRate)',
    );
    expect(report.columns.find((c) => c.name === 'age')!.missingRate).toBe(0.125);
    // Below the limit: recorded in the summary, no finding.
    for (let i = 0; i < 50; i++) age[i * 8] = i < 10 ? NaN : 30;
    expect(only(checkDataQuality(table({ ...cols, age: numeric(age) }), schema), QualityCheck.missingRate)).toEqual([]);
  });

  it('says so when a column is entirely missing', () => {
    const cols = cleanColumns();
    cols.income = numeric(new Float64Array(400).fill(NaN));
    const [finding] = only(checkDataQuality(table(cols), schema), QualityCheck.missingRate);
    expect(finding!.message).toBe(
      'column "income": all 400 values are missing; the upstream export probably dropped this column',
    );
  });

  it('flags values outside the numeric range, as a warning within maxOutOfRangeShare', () => {
    const cols = cleanColumns();
    const age = Float64Array.from(cols.age!.values as Float64Array);
    age[0] = 7;
    age[1] = 230;
    cols.age = numeric(age);
    const [error] = only(checkDataQuality(table(cols), schema), QualityCheck.range);
    expect(error).toMatchObject({ column: 'age', severity: 'error', observed: 0.005, limit: 0 });
    expect(error!.message).toBe(
      'column "age": 2 value(s) (0.5%) outside the allowed range [18, 100] (seen min 7, max 230); fix or filter the bad rows upstream, or widen validation.columns["age"].min/validation.columns["age"].max if the range changed',
    );
    const tolerant = {
      ...schema,
      columns: schema.columns.map((c) => (c.name === 'age' ? { ...c, maxOutOfRangeShare: 0.01 } : c)),
    };
    expect(only(checkDataQuality(table(cols), tolerant), QualityCheck.range)[0]!.severity).toBe('warning');
  });

  it('flags a binary column with values other than 0/1', () => {
    const cols = cleanColumns();
    const flag = Float64Array.from(cols.is_member!.values as Float64Array);
    flag[5] = 2;
    cols.is_member = numeric(flag);
    const [finding] = only(checkDataQuality(table(cols), schema), QualityCheck.binaryValues);
    expect(finding).toMatchObject({ column: 'is_member', severity: 'error', observed: 1 });
    expect(finding!.message).toContain('are not 0 or 1 (e.g. 2)');
  });

  it('warns on a small share of unseen categories and errors above maxUnseenShare', () => {
    const cols = cleanColumns();
    const few = (cols.country!.values as string[]).slice();
    few[0] = 'PT';
    const [warning] = only(
      checkDataQuality(table({ ...cols, country: categorical(few) }), schema),
      QualityCheck.unseenCategories,
    );
    expect(warning).toMatchObject({ column: 'country', severity: 'warning', observed: 0.0025, limit: 0.01 });
    expect(warning!.message).toBe(
      'column "country": 0.25% of values are not in allowedValues (1 new: "PT"), within the limit of 1%; add them to validation.columns["country"].allowedValues if they are here to stay',
    );
    const many = few.map((v, i) => (i % 10 === 0 ? 'PT' : i % 10 === 1 ? 'NL' : v));
    const report = checkDataQuality(table({ ...cols, country: categorical(many) }), schema);
    const [error] = only(report, QualityCheck.unseenCategories);
    expect(error!.severity).toBe('error');
    expect(error!.message).toMatch(
      /20% of values are not in allowedValues \(2 new: "PT", "NL"\) and exceed the limit of 1%/,
    );
    expect(report.passed).toBe(false);
  });

  it('flags duplicate rows: a warning within the limit, an error above it', () => {
    const base = cleanColumns(400);
    const dup = (count: number) => {
      const cols: Record<string, ReturnType<typeof numeric> | ReturnType<typeof categorical>> = {};
      for (const [name, col] of Object.entries(base)) {
        if (col.kind === 'numeric') {
          const v = Float64Array.from(col.values);
          for (let i = 0; i < count; i++) v[200 + i] = v[i]!;
          cols[name] = numeric(v);
        } else {
          const v = col.values.slice();
          for (let i = 0; i < count; i++) v[200 + i] = v[i]!;
          cols[name] = categorical(v);
        }
      }
      return checkDataQuality(table(cols), schema);
    };
    const [warning] = only(dup(4), QualityCheck.duplicateRows);
    expect(warning).toMatchObject({ severity: 'warning', observed: 0.01, limit: 0.02 });
    const [error] = only(dup(20), QualityCheck.duplicateRows);
    expect(error).toMatchObject({ severity: 'error', observed: 0.05 });
    expect(error!.message).toBe(
      '20 row(s) (5%) repeat an earlier row, above the limit of 2%; deduplicate the snapshot (a join fan-out or a replayed export?) or raise validation.maxDuplicateRowShare',
    );
  });

  it('treats missing as equal to missing when looking for duplicates', () => {
    const t = table({ a: numeric([NaN, NaN, 1]), b: categorical([null, null, 'x']) });
    const report = checkDataQuality(t, {
      columns: [
        { name: 'a', type: 'numeric' },
        { name: 'b', type: 'categorical' },
      ],
      maxMissingRate: 1,
      maxDuplicateRowShare: 0.5,
    });
    expect(only(report, QualityCheck.duplicateRows)[0]!.observed).toBeCloseTo(1 / 3, 15);
  });

  it('warns on constant columns unless allowed, and can make them errors', () => {
    const cols = cleanColumns();
    cols.country = categorical(new Array<string>(400).fill('DE'));
    const [warning] = only(checkDataQuality(table(cols), schema), QualityCheck.constantColumn);
    expect(warning).toMatchObject({ column: 'country', severity: 'warning' });
    expect(warning!.message).toBe(
      'column "country": every non-missing value is "DE", so it carries no signal; check the upstream join, or set validation.columns["country"].allowConstant if that is expected',
    );
    expect(
      only(checkDataQuality(table(cols), { ...schema, constantColumns: 'error' }), QualityCheck.constantColumn)[0]!
        .severity,
    ).toBe('error');
    const allowed = {
      ...schema,
      columns: schema.columns.map((c) => (c.name === 'country' ? { ...c, allowConstant: true } : c)),
    };
    expect(only(checkDataQuality(table(cols), allowed), QualityCheck.constantColumn)).toEqual([]);
  });

  it('requires the label column and labels on every row', () => {
    const { churned, ...rest } = cleanColumns();
    const [absent] = only(checkDataQuality(table(rest), schema), QualityCheck.labelPresence);
    expect(absent).toMatchObject({ column: 'churned', severity: 'error' });
    expect(absent!.message).toContain('the batch has no label column; join the delayed labels before training');
    const labels = Float64Array.from(churned!.values as Float64Array);
    labels[0] = NaN;
    const [unlabeled] = only(
      checkDataQuality(table({ ...rest, churned: numeric(labels) }), schema),
      QualityCheck.labelPresence,
    );
    expect(unlabeled!.message).toBe(
      'label "churned": 1 row(s) (0.25%) have no label; drop unlabeled rows before snapshotting or wait for their feedback',
    );
  });

  it('checks class balance and label values for binary classification', () => {
    const cols = cleanColumns();
    const rare = new Float64Array(400);
    for (let i = 0; i < 8; i++) rare[i * 50] = 1; // 2% positives < 5%
    const [imbalanced] = only(
      checkDataQuality(table({ ...cols, churned: numeric(rare) }), schema),
      QualityCheck.classBalance,
    );
    expect(imbalanced).toMatchObject({ severity: 'error', observed: 0.02, limit: 0.05 });
    expect(imbalanced!.message).toBe(
      'label "churned": the minority class is 2% of rows, below the limit of 5%; collect more positive examples, or lower validation.label.minClassShare if this rate is expected',
    );
    const [single] = only(
      checkDataQuality(table({ ...cols, churned: numeric(new Float64Array(400)) }), schema),
      QualityCheck.classBalance,
    );
    expect(single!.message).toContain('only one class is present');
    const bad = new Float64Array(400).map((_, i) => i % 3);
    const [values] = only(
      checkDataQuality(table({ ...cols, churned: numeric(bad) }), schema),
      QualityCheck.labelValues,
    );
    expect(values!.message).toContain('needs labels 0 and 1 but found 2');
  });

  it('checks a regression label is numeric and finite', () => {
    const cols = cleanColumns();
    const regression = { ...schema, label: { name: 'spend', task: 'regression' as const } };
    const spend = new Float64Array(400).map((_, i) => i * 1.5);
    expect(checkDataQuality(table({ ...cols, spend: numeric(spend) }), regression).passed).toBe(true);
    spend[7] = Infinity;
    expect(
      only(checkDataQuality(table({ ...cols, spend: numeric(spend) }), regression), QualityCheck.labelValues)[0]!
        .severity,
    ).toBe('error');
  });

  it('warns on columns the schema does not know', () => {
    const report = checkDataQuality(
      table({ ...cleanColumns(), debug_id: numeric(new Float64Array(400).map((_, i) => i)) }),
      schema,
    );
    expect(report.passed).toBe(true);
    expect(only(report, QualityCheck.unexpectedColumn)[0]).toMatchObject({ column: 'debug_id', severity: 'warning' });
  });

  it('refuses an empty batch', () => {
    const report = checkDataQuality({ rowCount: 0, columns: {} }, schema);
    expect(report.passed).toBe(false);
    expect(only(report, QualityCheck.rowCount)[0]!.message).toContain(
      'the batch has 0 row(s), fewer than the minimum of 1',
    );
  });

  it('uses the configured setting path in hints', () => {
    const cols = cleanColumns();
    cols.income = numeric(new Float64Array(400).map((_, i) => (i < 40 ? NaN : i)));
    const [finding] = only(
      checkDataQuality(table(cols), schema, { configPath: 'spec.validation' }),
      QualityCheck.missingRate,
    );
    expect(finding!.message).toContain('raise spec.validation.maxMissingRate');
  });

  it('throws StatsInputError for a malformed table or schema', () => {
    expect(() => checkDataQuality({ rowCount: 3, columns: { a: numeric([1, 2]) } }, { columns: [] })).toThrow(
      StatsInputError,
    );
    expect(() => checkDataQuality(table(cleanColumns()), { ...schema, maxMissingRate: 5 })).toThrow(
      /maxMissingRate must be a share/,
    );
    expect(() =>
      checkDataQuality(table(cleanColumns()), { columns: [{ name: 'a', type: 'numeric', min: 5, max: 1 }] }),
    ).toThrow(/min 5 > max 1/);
    expect(() =>
      checkDataQuality(table(cleanColumns()), {
        columns: [
          { name: 'a', type: 'numeric' },
          { name: 'a', type: 'numeric' },
        ],
      }),
    ).toThrow(/listed twice/);
  });

  it('checks 10^5 rows × 25 columns in about a second', () => {
    const n = 100_000;
    const columns: Record<string, ReturnType<typeof numeric> | ReturnType<typeof categorical>> = {};
    const specs: Array<{ name: string; type: 'numeric' | 'categorical' }> = [];
    for (let c = 0; c < 20; c++) {
      columns[`x${c}`] = numeric(new Float64Array(n).map((_, i) => ((i * (c + 7919)) % 10007) / 10));
      specs.push({ name: `x${c}`, type: 'numeric' });
    }
    for (let c = 0; c < 5; c++) {
      columns[`c${c}`] = categorical(Array.from({ length: n }, (_, i) => `v${(i * (c + 3)) % 17}`));
      specs.push({ name: `c${c}`, type: 'categorical' });
    }
    const start = performance.now();
    const report = checkDataQuality({ rowCount: n, columns }, { columns: specs });
    expect(performance.now() - start).toBeLessThan(5000); // ~0.3 s idle; headroom for a loaded CI box
    expect(report.passed).toBe(true);
  });
});
