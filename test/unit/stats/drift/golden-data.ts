/**
 * Replays the sample specs of test/fixtures/golden-drift.json (mulberry32 + IEEE-exact
 * float operations, mirrored from scripts/golden/drift_cases.py) so large samples need
 * not be stored in the fixture.
 */
import { readFileSync } from 'node:fs';

export interface SampleSpec {
  readonly seed: number;
  readonly n: number;
  readonly kind: 'normalish' | 'skewed' | 'ties';
  readonly loc: number;
  readonly scale: number;
  /** The first `bump` values are moved by +1. */
  readonly bump?: number;
}
export type SampleInput = number[] | { gen: SampleSpec };

export interface GoldenCase {
  readonly function: string;
  readonly id: string;
  readonly inputs: Record<string, unknown>;
  readonly expected: Record<string, unknown>;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1) >>> 0;
    t = ((t + (Math.imul(t ^ (t >>> 7), t | 61) >>> 0)) >>> 0) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function replay(input: SampleInput): Float64Array {
  if (Array.isArray(input)) return Float64Array.from(input);
  const { seed, n, kind, loc, scale } = input.gen;
  const next = mulberry32(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (kind === 'normalish') {
      let u = next() + next();
      u = u + next();
      u = u + next();
      out[i] = (u - 2) * scale + loc;
    } else if (kind === 'skewed') {
      const u = next();
      out[i] = u * u * u * scale + loc;
    } else {
      out[i] = Math.floor(next() * scale) + loc;
    }
  }
  for (let i = 0; i < (input.gen.bump ?? 0); i++) out[i] = out[i]! + 1;
  return out;
}

export function loadGoldenCases(): GoldenCase[] {
  const url = new URL('../../../fixtures/golden-drift.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { cases: GoldenCase[] }).cases;
}

/** |actual − expected| ≤ rel·|expected| (or ≤ abs when given, for p-values near 0). */
export function closeTo(actual: number, expected: number, rel: number, abs = 0): boolean {
  if (actual === expected) return true;
  return Math.abs(actual - expected) <= Math.max(rel * Math.abs(expected), abs);
}
