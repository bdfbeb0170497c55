import { StatsInputError, type Table } from '../table.js';
import { sortedPresentValues } from './finite-sample.js';
import { countIntoCutBins, quantileCutPoints } from './quantile.js';
import { buildSketch } from './quantile-sketch.js';
import { populationStd } from './wasserstein.js';
import {
  PROFILE_FORMAT,
  type CategoricalColumnProfile,
  type NumericColumnProfile,
  type ReferenceProfile,
  type ReferenceProfileOptions,
} from './profile-types.js';

export type * from './profile-types.js';
export { PROFILE_FORMAT } from './profile-types.js';
export { serializeReferenceProfile, parseReferenceProfile } from './profile-parse.js';

const DEFAULTS: Required<ReferenceProfileOptions> = { bins: 10, exactLimit: 1500, sketchBins: 512, distinctLimit: 20 };

function checkOptions(o: Required<ReferenceProfileOptions>): void {
  for (const [name, min] of [
    ['bins', 2],
    ['exactLimit', 0],
    ['sketchBins', 2],
    ['distinctLimit', 5],
  ] as const) {
    const v = o[name];
    if (!Number.isInteger(v) || v < min)
      throw new StatsInputError(`buildReferenceProfile: ${name} must be an integer ≥ ${min}, got ${v}`);
  }
}

function distinctCounts(sorted: Float64Array, limit: number): NumericColumnProfile['distinct'] {
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && sorted[i] === sorted[i - 1]) {
      counts[counts.length - 1]!++;
      continue;
    }
    if (values.length === limit) return null;
    values.push(sorted[i]!);
    counts.push(1);
  }
  return { values, counts };
}

function numericProfile(
  values: Float64Array,
  name: string,
  o: Required<ReferenceProfileOptions>,
): NumericColumnProfile {
  const sorted = sortedPresentValues(values, `reference column "${name}"`);
  const cutPoints = quantileCutPoints(sorted, o.bins);
  const small = sorted.length <= o.exactLimit;
  return {
    kind: 'numeric',
    count: sorted.length,
    missing: values.length - sorted.length,
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    std: populationStd(sorted),
    distinct: distinctCounts(sorted, o.distinctLimit),
    sorted: small ? Array.from(sorted) : null,
    sketch: small ? null : buildSketch(sorted, o.sketchBins),
    bins: { cutPoints, counts: countIntoCutBins(sorted, cutPoints) },
  };
}

function categoricalProfile(values: ReadonlyArray<string | null>, name: string): CategoricalColumnProfile {
  const counts = new Map<string, number>();
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      missing++;
      continue;
    }
    if (typeof v !== 'string')
      throw new StatsInputError(`reference column "${name}": row ${i} is not a string (${String(v)})`);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  if (counts.size === 0) throw new StatsInputError(`reference column "${name}": no non-missing values to compare`);
  const categories = [...counts.keys()].sort();
  return {
    kind: 'categorical',
    count: values.length - missing,
    missing,
    categories,
    counts: categories.map((c) => counts.get(c)!),
  };
}

/**
 * Summarise a reference (training) table once, so many current windows can be checked
 * against it without the reference data. Numeric columns keep the full sorted sample up
 * to `exactLimit` values (every method then exact) and a quantile sketch beyond (normed
 * Wasserstein and KS with a guaranteed errorBound, see README.md); categorical
 * columns keep exact category counts. The result is plain JSON of bounded size.
 */
export function buildReferenceProfile(
  table: Table,
  options: ReferenceProfileOptions & { columns?: string[] } = {},
): ReferenceProfile {
  const { columns: only, ...rest } = options;
  const o = { ...DEFAULTS, ...rest };
  checkOptions(o);
  const names = only ?? Object.keys(table.columns);
  if (names.length === 0) throw new StatsInputError('buildReferenceProfile: no columns to profile');
  const columns: ReferenceProfile['columns'] = {};
  for (const name of names) {
    const col = table.columns[name];
    if (!col) throw new StatsInputError(`buildReferenceProfile: column "${name}" is not in the table`);
    if (col.values.length !== table.rowCount) {
      throw new StatsInputError(
        `buildReferenceProfile: column "${name}" has ${col.values.length} values, table has ${table.rowCount} rows`,
      );
    }
    if (col.kind === 'numeric' && !(col.values instanceof Float64Array)) {
      throw new StatsInputError(`buildReferenceProfile: numeric column "${name}" must be a Float64Array`);
    }
    columns[name] = col.kind === 'numeric' ? numericProfile(col.values, name, o) : categoricalProfile(col.values, name);
  }
  return { format: PROFILE_FORMAT, rowCount: table.rowCount, options: o, columns };
}
