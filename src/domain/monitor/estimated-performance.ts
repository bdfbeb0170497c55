import type { MonitorThresholds } from './thresholds.js';

/** One metric estimated without labels and the band its realized value should fall in if P(y | x) has not changed. */
export interface EstimatedMetricValue {
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
}

/**
 * The label-free estimate (CBPE, src/stats/performance-estimation) of the champion's
 * performance over the freshest production rows, from its calibrated probabilities. Blind to
 * concept drift: when P(y | x) changes, the estimate does not move (docs/performance-estimation.md).
 */
export interface EstimatedPerformanceEvidence {
  readonly fromMs: number;
  readonly toMs: number;
  readonly rowCount: number;
  /** Share of the realized value's distribution each band covers (e.g. 0.95). */
  readonly coverage: number;
  readonly accuracy: EstimatedMetricValue | null;
  readonly precision: EstimatedMetricValue | null;
  readonly recall: EstimatedMetricValue | null;
  readonly f1: EstimatedMetricValue | null;
  readonly rocAuc: EstimatedMetricValue | null;
}

export const EstimatedStatus = {
  degraded: 'degraded',
  ok: 'ok',
  insufficientRows: 'insufficientRows',
  noBaseline: 'noBaseline',
} as const;
export type EstimatedStatus = (typeof EstimatedStatus)[keyof typeof EstimatedStatus];

export interface EstimatedPerformanceFinding extends EstimatedPerformanceEvidence {
  readonly status: EstimatedStatus;
  /** baseline − estimated accuracy (positive = worse); what `performanceReport` with `estimated: true` carries as its score. */
  readonly degradation: number | null;
  readonly summary: string;
}

const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

/**
 * Judges the estimated accuracy against the champion's held-out accuracy: degraded when the
 * estimated drop reaches the performance floor AND the baseline lies above the band, so the
 * realized accuracy is expected below the baseline even allowing for the window's noise.
 * Uses `minLabeledRows` as the fewest rows an estimate is judged on.
 */
export function judgeEstimatedPerformance(
  evidence: EstimatedPerformanceEvidence,
  baseline: number | null,
  thresholds: MonitorThresholds,
): EstimatedPerformanceFinding {
  const accuracy = evidence.accuracy;
  if (evidence.rowCount < thresholds.minLabeledRows || accuracy === null)
    return {
      ...evidence,
      status: EstimatedStatus.insufficientRows,
      degradation: null,
      summary: `${evidence.rowCount} scored rows with a probability, need ${thresholds.minLabeledRows} to estimate`,
    };
  const band = `${pct(accuracy.lower)}–${pct(accuracy.upper)}`;
  if (baseline === null)
    return {
      ...evidence,
      status: EstimatedStatus.noBaseline,
      degradation: null,
      summary: `estimated accuracy ${pct(accuracy.estimate)} (band ${band}); no held-out accuracy to compare with`,
    };
  const degradation = baseline - accuracy.estimate;
  const degraded = degradation >= thresholds.performanceFloor && accuracy.upper < baseline;
  return {
    ...evidence,
    status: degraded ? EstimatedStatus.degraded : EstimatedStatus.ok,
    degradation,
    summary: `estimated accuracy ${pct(accuracy.estimate)} (band ${band}, ${evidence.rowCount} unlabelled rows) vs baseline ${pct(baseline)} (drop ${(degradation * 100).toFixed(1)} pts, floor ${(thresholds.performanceFloor * 100).toFixed(1)} pts)`,
  };
}
