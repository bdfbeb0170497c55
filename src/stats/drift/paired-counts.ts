import { StatsInputError } from '../table.js';
import { checkCount, countEntries, type CategoryCounts } from './count-validation.js';

/** Reference and current counts over the categories seen on either side (those with a zero total dropped). */
export interface PairedCounts {
  readonly ref: ReadonlyMap<string, number>;
  readonly cur: ReadonlyMap<string, number>;
  readonly categories: readonly string[];
  readonly nRef: number;
  readonly nCur: number;
}

/**
 * Validates both count tables and lines them up for a chi-square test. Both chi-square
 * variants (homogeneity, goodness of fit) compare the same categories, so they share this
 * step and differ only in their expected counts. `test` names the caller in errors.
 */
export function pairCounts(reference: CategoryCounts, current: CategoryCounts, test: string): PairedCounts {
  const ref = new Map<string, number>();
  const cur = new Map<string, number>();
  for (const [k, v] of countEntries(reference)) ref.set(k, checkCount(v, `${test} reference "${k}"`));
  for (const [k, v] of countEntries(current)) cur.set(k, checkCount(v, `${test} current "${k}"`));
  const categories = [...new Set([...ref.keys(), ...cur.keys()])].filter(
    (k) => (ref.get(k) ?? 0) + (cur.get(k) ?? 0) > 0,
  );
  let nRef = 0;
  let nCur = 0;
  for (const k of categories) {
    nRef += ref.get(k) ?? 0;
    nCur += cur.get(k) ?? 0;
  }
  if (nRef === 0 || nCur === 0) throw new StatsInputError(`${test}: a sample has no observations`);
  return { ref, cur, categories, nRef, nCur };
}
