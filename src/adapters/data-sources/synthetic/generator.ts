import type { FeatureSchema } from '../../../domain/features.js';
import type { Rng } from '../../../stats/random.js';
import type { Table } from '../../../stats/table.js';

/**
 * A seeded stream generator with a known drift schedule. Time is counted in windows; each
 * window's rows come from an RNG seeded by (generator seed, window index), so any window
 * can be regenerated alone and always gives the same rows.
 */
export interface StreamGenerator {
  /** Feature columns it produces (the label column is named by the model spec). */
  readonly features: FeatureSchema;
  readonly task: 'binaryClassification' | 'regression';
  /** The concept in effect at a window, in words, e.g. "f1 + f2 <= 9 (concept 2 of 4, since window 10)". */
  conceptAt(window: number): string;
  /** Windows at which the concept changes (abrupt) or starts changing (gradual). */
  readonly changePoints: readonly number[];
  /** Windows at which only P(x) moves (a benign shift the label does not feel), when the generator adds one. */
  readonly covariateShifts?: readonly number[];
  /** `rows` rows of window `window`: feature columns plus `labelName`. */
  generate(window: number, rows: number, rng: Rng, labelName: string): Table;
}

/** Seed of one window's RNG: a 32-bit mix of the generator seed and the window index. */
export function windowSeed(seed: number, window: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13) ^ Math.imul(window + 0x632be5ab, 0xc2b2ae35), 0x27d4eb2f) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Flips a 0/1 label with probability `noise`. */
export const withLabelNoise = (label: number, noise: number, rng: Rng): number =>
  rng.nextFloat() < noise ? 1 - label : label;
