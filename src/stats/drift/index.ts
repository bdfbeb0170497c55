/** Public surface of the drift statistics: import from here, not from the one-concept files. */
export { ksTwoSample, KS_EXACT_MAX_N, type KsResult } from './ks.js';
export { chiSquareHomogeneity, type ChiSquareResult } from './chi-square.js';
export { chiSquareGoodnessOfFit } from './chi-square-goodness-of-fit.js';
export { DriftCompatibility } from './drift-compatibility.js';
export { twoProportionZTest, evidentlyZPValue, type ZTestResult } from './two-proportion-z.js';
export {
  populationStabilityIndex,
  psiFromCounts,
  PSI_DEFAULT_BINS,
  PSI_DEFAULT_EPSILON,
  type PsiResult,
} from './psi.js';
export { jensenShannonDistance } from './jensen-shannon.js';
export { wasserstein1, wasserstein1Normed, WASSERSTEIN_MIN_NORM } from './wasserstein.js';
export { benjaminiHochberg } from './benjamini-hochberg.js';
export { selectDriftMethod, SMALL_REFERENCE_MAX_ROWS, type MethodSelectionInput } from './method-selection.js';
export { DriftMethod, DEFAULT_THRESHOLDS } from './drift-method.js';
export * from './reference-profile.js';
export { driftReportOptions, type DriftSettings } from './drift-settings.js';
export { driftReport, type DriftReport, type DriftReportOptions, type ColumnDriftResult } from './drift-report.js';
export type { CategoryCounts } from './count-validation.js';
