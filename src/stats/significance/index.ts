export { pairedBootstrap } from './bootstrap.js';
export type { PairedBootstrapInput, PairedBootstrapResult, PairedMetric } from './bootstrap.js';
export { BUILTIN_PAIRED_METRICS } from './bootstrap-builtins.js';
export type { BuiltinPairedMetric } from './bootstrap-builtins.js';
export { mcnemarTest, mcnemarFromCounts, MCNEMAR_EXACT_BELOW } from './mcnemar.js';
export type { McNemarOptions, McNemarResult } from './mcnemar.js';
export { delongTest } from './delong.js';
export type { DeLongResult } from './delong.js';
export { erfc, normalSf, normalTwoSidedP, chiSquare1Sf } from './normal.js';
