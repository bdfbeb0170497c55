import { describe, expect, it } from 'vitest';
import {
  buildReferenceProfile,
  parseReferenceProfile,
  serializeReferenceProfile,
} from '../../../../src/stats/drift/reference-profile.js';
import { driftReport } from '../../../../src/stats/drift/drift-report.js';
import { ksTwoSample } from '../../../../src/stats/drift/ks.js';
import { chiSquareHomogeneity } from '../../../../src/stats/drift/chi-square.js';
import { twoProportionZTest } from '../../../../src/stats/drift/two-proportion-z.js';
import { populationStabilityIndex } from '../../../../src/stats/drift/psi.js';
import { jensenShannonDistance } from '../../../../src/stats/drift/jensen-shannon.js';
import { wasserstein1 } from '../../../../src/stats/drift/wasserstein.js';
import { benjaminiHochberg } from '../../../../src/stats/drift/benjamini-hochberg.js';
import { categorical, numeric, StatsInputError, type Table } from '../../../../src/stats/table.js';

const throwsStats = (f: () => unknown, message: RegExp): void => {
  expect(f).toThrow(StatsInputError);
  expect(f).toThrow(message);
};

describe('bad input gets a clear StatsInputError, never a NaN verdict', () => {
  it('empty samples', () => {
    throwsStats(() => ksTwoSample([], [1, 2]), /no non-missing values/);
    throwsStats(() => wasserstein1([1], []), /no non-missing values/);
    throwsStats(() => populationStabilityIndex([], [1]), /no non-missing values/);
    throwsStats(() => chiSquareHomogeneity({}, { a: 1 }), /no observations/);
  });

  it('NaN is missing and skipped; a sample of only NaN is empty', () => {
    expect(ksTwoSample([1, Number.NaN, 2, 3], [1, 2, 3]).statistic).toBe(0);
    throwsStats(() => ksTwoSample([Number.NaN, Number.NaN], [1]), /reference: no non-missing values/);
  });

  it('±Infinity is an error, not a value', () => {
    throwsStats(() => ksTwoSample([1, Infinity], [1, 2]), /index 1 is Infinity/);
    throwsStats(() => wasserstein1([1, 2], [-Infinity]), /index 0 is -Infinity/);
  });

  it('non-numeric data where numbers are expected', () => {
    throwsStats(() => ksTwoSample([1, '2' as unknown as number], [1]), /not a number/);
    throwsStats(() => jensenShannonDistance([1, Number.NaN], [1, 1]), /invalid weight/);
    throwsStats(() => chiSquareHomogeneity({ a: 1.5 }, { a: 1 }), /non-negative integers/);
  });

  it('mismatched lengths', () => {
    throwsStats(() => jensenShannonDistance([1, 2], [1, 2, 3]), /mismatched lengths/);
    const t: Table = { rowCount: 3, columns: { x: numeric([1, 2]) } };
    throwsStats(() => buildReferenceProfile(t), /has 2 values, table has 3 rows/);
  });

  it('a probability or proportion outside [0, 1]', () => {
    throwsStats(() => benjaminiHochberg([0.01, 1.2]), /outside \[0, 1\]/);
    throwsStats(() => benjaminiHochberg([Number.NaN]), /outside \[0, 1\]/);
    throwsStats(() => twoProportionZTest(11, 10, 1, 10), /outside \[0, 1\]/);
  });

  describe('drift report', () => {
    const ref: Table = { rowCount: 4, columns: { x: numeric([1, 2, 3, 4]), c: categorical(['a', 'b', 'a', null]) } };
    const profile = buildReferenceProfile(ref);

    it('an all-missing column', () => {
      throwsStats(
        () => buildReferenceProfile({ rowCount: 2, columns: { x: numeric([Number.NaN, Number.NaN]) } }),
        /"x": no non-missing/,
      );
      const cur: Table = { rowCount: 2, columns: { x: numeric([1, 2]), c: categorical([null, null]) } };
      throwsStats(() => driftReport(profile, cur), /"c": no non-missing values/);
    });

    it('Infinity in the current window', () => {
      const cur: Table = { rowCount: 2, columns: { x: numeric([1, Infinity]), c: categorical(['a', 'b']) } };
      throwsStats(() => driftReport(profile, cur), /Infinity/);
    });

    it('non-numeric data in a numeric column and kind mismatches', () => {
      const wrong = {
        rowCount: 2,
        columns: { x: { kind: 'numeric', values: ['1', '2'] }, c: categorical(['a', 'b']) },
      } as unknown as Table;
      throwsStats(() => driftReport(profile, wrong), /must be a Float64Array/);
      const swapped: Table = { rowCount: 2, columns: { x: categorical(['1', '2']), c: categorical(['a', 'b']) } };
      throwsStats(() => driftReport(profile, swapped), /numeric in the reference but categorical/);
    });

    it('missing columns, unknown methods, bad thresholds', () => {
      throwsStats(
        () => driftReport(profile, { rowCount: 1, columns: { x: numeric([1]) } }),
        /"c" is missing from the current table/,
      );
      const cur: Table = { rowCount: 2, columns: { x: numeric([1, 2]), c: categorical(['a', 'b']) } };
      throwsStats(() => driftReport(profile, cur, { methods: { x: 'magic' as never } }), /unknown method/);
      throwsStats(() => driftReport(profile, cur, { thresholds: { 'chi-square': 5 } }), /invalid threshold/);
      throwsStats(() => driftReport(profile, cur, { methods: { c: 'ks' } }), /does not apply to categorical/);
      throwsStats(() => driftReport(profile, cur, { datasetDriftShare: 0 }), /datasetDriftShare/);
    });
  });

  it('a damaged serialized profile', () => {
    const good = serializeReferenceProfile(buildReferenceProfile({ rowCount: 3, columns: { x: numeric([3, 1, 2]) } }));
    throwsStats(() => parseReferenceProfile('{oops'), /not JSON/);
    throwsStats(() => parseReferenceProfile(good.replace('reference-profile@1', 'reference-profile@9')), /format/);
    throwsStats(() => parseReferenceProfile(good.replace('"sorted":[1,2,3]', '"sorted":[3,2,1]')), /ascending/);
    throwsStats(
      () => parseReferenceProfile(good.replace('"sorted":[1,2,3]', '"sorted":null')),
      /exactly one of sorted or sketch/,
    );
    expect(parseReferenceProfile(good)).toEqual(JSON.parse(good));
  });
});
