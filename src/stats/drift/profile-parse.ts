import { StatsInputError } from '../table.js';
import { checkCategoricalConsistency, checkNumericConsistency } from './profile-consistency.js';
import {
  PROFILE_FORMAT,
  type CategoricalColumnProfile,
  type ColumnProfile,
  type NumericColumnProfile,
  type ReferenceProfile,
} from './profile-types.js';

/** A reference profile as JSON text (it is plain data; this just names the contract). */
export function serializeReferenceProfile(profile: ReferenceProfile): string {
  return JSON.stringify(profile);
}

const fail = (path: string, what: string): never => {
  throw new StatsInputError(`parseReferenceProfile: ${path} ${what}`);
};
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const count = (v: unknown, path: string): number =>
  Number.isInteger(v) && (v as number) >= 0 ? (v as number) : fail(path, 'must be a non-negative integer');
const finite = (v: unknown, path: string): number =>
  typeof v === 'number' && Number.isFinite(v) ? v : fail(path, 'must be a finite number');

function ascending(v: unknown, path: string, strict: boolean): number[] {
  if (!Array.isArray(v)) return fail(path, 'must be an array');
  v.forEach((x, i) => {
    finite(x, `${path}[${i}]`);
    if (i > 0 && (strict ? x <= v[i - 1] : x < v[i - 1])) fail(path, 'must be ascending');
  });
  return v as number[];
}
const counts = (v: unknown, path: string, length: number): number[] => {
  if (!Array.isArray(v) || v.length !== length) return fail(path, `must be an array of ${length} counts`);
  v.forEach((x, i) => count(x, `${path}[${i}]`));
  return v as number[];
};

function checkColumn(c: unknown, path: string, rowCount: number): ColumnProfile {
  if (!isObject(c)) return fail(path, 'must be an object');
  count(c.count, `${path}.count`);
  count(c.missing, `${path}.missing`);
  if (c.count === 0) fail(`${path}.count`, 'must be positive');
  const present = (c.count as number) + (c.missing as number);
  if (present !== rowCount) fail(`${path}:`, `count + missing = ${present}, rowCount is ${rowCount}`);
  if (c.kind === 'categorical') {
    if (!Array.isArray(c.categories) || !c.categories.every((x) => typeof x === 'string'))
      fail(`${path}.categories`, 'must be strings');
    counts(c.counts, `${path}.counts`, (c.categories as string[]).length);
    checkCategoricalConsistency(c as unknown as CategoricalColumnProfile, path);
    return c as unknown as ColumnProfile;
  }
  if (c.kind !== 'numeric') return fail(`${path}.kind`, 'must be "numeric" or "categorical"');
  for (const k of ['min', 'max', 'std']) finite(c[k], `${path}.${k}`);
  if (c.distinct !== null) {
    if (!isObject(c.distinct)) fail(`${path}.distinct`, 'must be an object or null');
    const values = ascending((c.distinct as Record<string, unknown>).values, `${path}.distinct.values`, true);
    counts((c.distinct as Record<string, unknown>).counts, `${path}.distinct.counts`, values.length);
  }
  if ((c.sorted === null) === (c.sketch === null)) fail(path, 'must have exactly one of sorted or sketch');
  if (c.sorted !== null && ascending(c.sorted, `${path}.sorted`, false).length !== c.count)
    fail(`${path}.sorted`, 'must hold count values');
  if (c.sketch !== null) {
    if (!isObject(c.sketch)) fail(`${path}.sketch`, 'must be an object');
    const s = c.sketch as Record<string, unknown>;
    const edges = ascending(s.edges, `${path}.sketch.edges`, true);
    if (edges.length < 1) fail(`${path}.sketch.edges`, 'must have at least 1 edge');
    const cum = ascending(
      counts(s.cumCounts, `${path}.sketch.cumCounts`, edges.length),
      `${path}.sketch.cumCounts`,
      false,
    );
    if (cum[cum.length - 1] !== c.count) fail(`${path}.sketch.cumCounts`, 'must end at count');
    if (!Array.isArray(s.gapSums) || s.gapSums.length !== edges.length)
      fail(`${path}.sketch.gapSums`, `must have ${edges.length} entries`);
    (s.gapSums as unknown[]).forEach((g, i) => {
      if (finite(g, `${path}.sketch.gapSums[${i}]`) < 0) fail(`${path}.sketch.gapSums[${i}]`, 'must be non-negative');
    });
  }
  if (!isObject(c.bins)) return fail(`${path}.bins`, 'must be an object');
  const cuts = ascending(c.bins.cutPoints, `${path}.bins.cutPoints`, false);
  counts(c.bins.counts, `${path}.bins.counts`, cuts.length + 1);
  checkNumericConsistency(c as unknown as NumericColumnProfile, path);
  return c as unknown as ColumnProfile;
}

/**
 * Parse and validate a serialized reference profile: its shape, then its consistency
 * (see profile-consistency.ts). Either problem throws StatsInputError naming the field.
 */
export function parseReferenceProfile(json: string): ReferenceProfile {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (e) {
    throw new StatsInputError(`parseReferenceProfile: not JSON (${(e as Error).message})`);
  }
  if (!isObject(doc)) return fail('profile', 'must be an object');
  if (doc.format !== PROFILE_FORMAT) fail('format', `must be "${PROFILE_FORMAT}"`);
  count(doc.rowCount, 'rowCount');
  if (!isObject(doc.options)) fail('options', 'must be an object');
  const o = doc.options as Record<string, unknown>;
  for (const k of ['bins', 'exactLimit', 'sketchBins', 'distinctLimit']) count(o[k], `options.${k}`);
  if (!isObject(doc.columns) || Object.keys(doc.columns).length === 0) fail('columns', 'must be a non-empty object');
  for (const [name, c] of Object.entries(doc.columns as Record<string, unknown>))
    checkColumn(c, `columns["${name}"]`, doc.rowCount as number);
  return doc as unknown as ReferenceProfile;
}
