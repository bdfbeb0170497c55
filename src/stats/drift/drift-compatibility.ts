/**
 * Which conventions a drift report follows. `default` is this project's documented choice
 * (homogeneity chi-square, reference-decile PSI with a fixed floor, an exact normal tail);
 * `evidently` reproduces Evidently 0.7's column methods, scores and verdicts so a report
 * can be put next to an Evidently one and agree column for column (see README.md).
 */
export const DriftCompatibility = { default: 'default', evidently: 'evidently' } as const;
export type DriftCompatibility = (typeof DriftCompatibility)[keyof typeof DriftCompatibility];

export const isDriftCompatibility = (v: unknown): v is DriftCompatibility =>
  v === DriftCompatibility.default || v === DriftCompatibility.evidently;
