import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** The fixture written by scripts/golden/metrics_cases.py (shape as used by the tests). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Golden = Record<string, any>;

export const golden: Golden = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../../fixtures/golden-metrics.json', import.meta.url)), 'utf8'),
) as Golden;

/** Equal to 1e-12 relative (metrics), or exactly for integers/zero. */
export function expectMetric(actual: number | null, expected: number | null, label: string): void {
  if (expected === null) {
    expect(actual, label).toBeNull();
    return;
  }
  expect(actual, label).not.toBeNull();
  const diff = Math.abs(actual! - expected);
  const ok = diff <= 1e-12 * Math.abs(expected) || diff <= 1e-15;
  expect(ok, `${label}: got ${actual}, expected ${expected} (diff ${diff})`).toBe(true);
}

/** p-values: 1e-9 relative or 1e-15 absolute. */
export function expectPValue(actual: number, expected: number, label: string): void {
  const diff = Math.abs(actual - expected);
  const ok = diff <= 1e-9 * Math.abs(expected) || diff <= 1e-15;
  expect(ok, `${label}: got ${actual}, expected ${expected} (diff ${diff})`).toBe(true);
}

/** Fixture cases as `[name, case]` rows for `it.each`. */
export function named(cases: readonly Golden[], key = 'name'): Array<[string, Golden]> {
  return cases.map((c) => [String(c[key]), c]);
}

/** `[input, expected]` rows of a special-function table. */
export function pairs(rows: readonly Golden[], input: string): Array<[number, number]> {
  return rows.map((r) => [r[input] as number, r.expected as number]);
}
