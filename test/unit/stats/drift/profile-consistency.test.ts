import { describe, expect, it } from 'vitest';
import {
  buildReferenceProfile,
  parseReferenceProfile,
  serializeReferenceProfile,
} from '../../../../src/stats/drift/reference-profile.js';
import { driftReport } from '../../../../src/stats/drift/drift-report.js';
import { categorical, numeric, StatsInputError, type Table } from '../../../../src/stats/table.js';
import { normalSample } from './synthetic.js';

type Json = Record<string, unknown>;

/** A profile that parses, a mutation applied to its JSON, then parseReferenceProfile. */
function parseMutated(profile: ReturnType<typeof buildReferenceProfile>, mutate: (doc: Json) => void): () => unknown {
  const doc = JSON.parse(serializeReferenceProfile(profile)) as Json;
  mutate(doc);
  return () => parseReferenceProfile(JSON.stringify(doc));
}
const column = (doc: Json, name: string): Json => (doc.columns as Record<string, Json>)[name]!;
const refused = (f: () => unknown, message: RegExp): void => {
  expect(f).toThrow(StatsInputError);
  expect(f).toThrow(message);
};

describe('parseReferenceProfile refuses a profile that parses but is inconsistent, naming the field', () => {
  const small = buildReferenceProfile({
    rowCount: 6,
    columns: { x: numeric([3, 1, 2, 5, 4, Number.NaN]), c: categorical(['a', 'b', 'a', null, 'c', 'a']) },
  });
  const big = buildReferenceProfile({ rowCount: 5000, columns: { g: numeric(normalSample(7, 5000, 3, 2)) } });

  it('accepts the profiles buildReferenceProfile writes', () => {
    expect(parseReferenceProfile(serializeReferenceProfile(small))).toEqual(small);
    expect(parseReferenceProfile(serializeReferenceProfile(big))).toEqual(big);
  });

  it('a negative or impossible std', () => {
    refused(
      parseMutated(big, (d) => (column(d, 'g').std = -1)),
      /columns\["g"\]\.std must be ≥ 0/,
    );
    // Population std can never exceed half the range (Popoviciu).
    refused(
      parseMutated(small, (d) => (column(d, 'x').std = 100)),
      /columns\["x"\]\.std .*half the range/,
    );
    refused(
      parseMutated(small, (d) => (column(d, 'x').std = 0)),
      /columns\["x"\]\.std/,
    );
  });

  it('a sketch whose gap sums or counts disagree with its edges', () => {
    refused(
      parseMutated(big, (d) => {
        const s = column(d, 'g').sketch as { gapSums: number[] };
        s.gapSums = s.gapSums.map((g) => g * 1000);
      }),
      /columns\["g"\]\.sketch\.gapSums\[\d+\] .*exceeds/,
    );
    refused(
      parseMutated(big, (d) => {
        const s = column(d, 'g').sketch as { edges: number[] };
        s.edges[0] = s.edges[0]! - 1;
      }),
      /columns\["g"\]\.sketch\.edges\[0\] must equal min/,
    );
    refused(
      parseMutated(big, (d) => {
        const s = column(d, 'g').sketch as { cumCounts: number[] };
        s.cumCounts[5] = s.cumCounts[4]!;
      }),
      /columns\["g"\]\.sketch\.cumCounts/,
    );
  });

  it('categorical counts that do not sum to count, and duplicate categories', () => {
    refused(
      parseMutated(small, (d) => ((column(d, 'c').counts as number[])[0] = 7)),
      /columns\["c"\]\.counts sum to 9, count is 5/,
    );
    refused(
      parseMutated(small, (d) => {
        column(d, 'c').categories = ['a', 'a', 'c'];
      }),
      /columns\["c"\]\.categories has "a" twice/,
    );
  });

  it('numeric counts that disagree: bins, distinct values, count + missing vs rowCount, min/max vs the sample', () => {
    refused(
      parseMutated(small, (d) => ((column(d, 'x').bins as { counts: number[] }).counts[0] = 9)),
      /columns\["x"\]\.bins\.counts sum to/,
    );
    refused(
      parseMutated(small, (d) => ((column(d, 'x').distinct as { counts: number[] }).counts[0] = 2)),
      /columns\["x"\]\.distinct\.counts sum to/,
    );
    refused(
      parseMutated(small, (d) => (column(d, 'x').missing = 0)),
      /columns\["x"\]: count \+ missing = 5, rowCount is 6/,
    );
    refused(
      parseMutated(small, (d) => (column(d, 'x').min = 0)),
      /columns\["x"\]\.min must equal the smallest/,
    );
  });
});

describe('driftReport refuses a column listed twice', () => {
  it('names the duplicated column instead of counting it twice in the share', () => {
    const ref: Table = { rowCount: 4, columns: { x: numeric([1, 2, 3, 4]), c: categorical(['a', 'b', 'a', 'b']) } };
    const cur: Table = { rowCount: 4, columns: { x: numeric([5, 6, 7, 8]), c: categorical(['a', 'b', 'a', 'b']) } };
    const f = () => driftReport(buildReferenceProfile(ref), cur, { columns: ['x', 'x', 'c'] });
    refused(f, /columns lists "x" twice/);
  });
});
