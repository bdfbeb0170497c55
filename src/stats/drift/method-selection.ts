import { StatsInputError } from '../table.js';
import { DriftMethod } from './drift-method.js';

/** Reference sizes up to this use statistical tests; above it, distances (Evidently's rule). */
export const SMALL_REFERENCE_MAX_ROWS = 1000;

export interface MethodSelectionInput {
  readonly kind: 'numeric' | 'categorical';
  /** Non-missing reference values. */
  readonly referenceSize: number;
  /** Distinct non-missing values over reference and current together (as Evidently counts). */
  readonly uniqueCount: number;
}

/**
 * Evidently-compatible default drift method for a column:
 * - reference ≤ 1000 rows: numeric with > 5 distinct values → KS; numeric with ≤ 5 or
 *   categorical → chi-square, or the z-test when there are ≤ 2 distinct values (binary);
 * - reference > 1000 rows: numeric with > 5 distinct values → normed Wasserstein;
 *   otherwise → Jensen–Shannon.
 */
export function selectDriftMethod(input: MethodSelectionInput): DriftMethod {
  const { kind, referenceSize, uniqueCount } = input;
  if (!Number.isInteger(referenceSize) || referenceSize <= 0) {
    throw new StatsInputError(`selectDriftMethod: referenceSize must be a positive integer, got ${referenceSize}`);
  }
  if (!Number.isInteger(uniqueCount) || uniqueCount <= 0) {
    throw new StatsInputError(`selectDriftMethod: uniqueCount must be a positive integer, got ${uniqueCount}`);
  }
  const fewValues = kind === 'categorical' || uniqueCount <= 5;
  if (referenceSize <= SMALL_REFERENCE_MAX_ROWS) {
    if (!fewValues) return DriftMethod.ks;
    return uniqueCount > 2 ? DriftMethod.chiSquare : DriftMethod.zTest;
  }
  return fewValues ? DriftMethod.jensenShannon : DriftMethod.wassersteinNormed;
}
