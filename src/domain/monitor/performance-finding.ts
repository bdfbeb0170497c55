import {
  judgeEstimatedPerformance,
  type EstimatedPerformanceEvidence,
  type EstimatedPerformanceFinding,
} from './estimated-performance.js';
import type { MonitorThresholds } from './thresholds.js';

export const PerformanceStatus = {
  degraded: 'degraded',
  ok: 'ok',
  insufficientLabels: 'insufficientLabels',
  noBaseline: 'noBaseline',
} as const;
export type PerformanceStatus = (typeof PerformanceStatus)[keyof typeof PerformanceStatus];

/** Window of the prediction log whose labels have had time to arrive. */
export interface PerformanceWindow {
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * The performance window ending `labelLatencyMs` before now: predictions younger than
 * the label latency are left out, because their labels may still be on the way and a
 * half-labelled window over-weights whatever is labelled first. Never starts before
 * `notBeforeMs` (when the current champion started serving), so the window judges
 * one model only.
 */
export function performanceWindow(
  nowMs: number,
  windowMs: number,
  labelLatencyMs: number,
  notBeforeMs = 0,
): PerformanceWindow {
  const toMs = Math.max(0, nowMs - labelLatencyMs);
  const fromMs = Math.min(toMs, Math.max(notBeforeMs, toMs - windowMs));
  return { fromMs, toMs };
}

export interface PerformanceEvidence extends PerformanceWindow {
  /** Predictions in the window and how many of them have a label. */
  readonly count: number;
  readonly labeledCount: number;
  /** Accuracy over the labelled ones (undefined when none). */
  readonly accuracy?: number;
  /** The champion's expected accuracy (its held-out accuracy); undefined when unknown. */
  readonly baseline?: number;
  /**
   * The label-free estimate over the freshest rows (which need no labels, so it can run
   * ahead of the labelled window); absent when the champion has no calibration or is not a
   * binary classifier.
   */
  readonly estimated?: EstimatedPerformanceEvidence | null;
}

export interface PerformanceFinding extends PerformanceWindow {
  readonly status: PerformanceStatus;
  readonly metric: 'accuracy';
  /** `realized` is `accuracy` above; this is the estimate without labels and its verdict, null when none was possible. */
  readonly estimated?: EstimatedPerformanceFinding | null;
  readonly count: number;
  readonly labeledCount: number;
  readonly accuracy: number | null;
  readonly baseline: number | null;
  /** baseline − accuracy (positive = worse); the score sent with `performanceReport`. */
  readonly degradation: number | null;
  /** degradation / standard error of the window accuracy. */
  readonly z: number | null;
  readonly summary: string;
}

const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

/**
 * Judges live accuracy against the champion's baseline: degraded when the drop reaches
 * the trigger policy's performance floor AND is beyond sampling noise (z ≥ minDegradationZ).
 */
export function judgePerformance(evidence: PerformanceEvidence, thresholds: MonitorThresholds): PerformanceFinding {
  const accuracy = evidence.accuracy ?? null;
  const baseline = evidence.baseline ?? null;
  const estimated = evidence.estimated ? judgeEstimatedPerformance(evidence.estimated, baseline, thresholds) : null;
  const base = {
    fromMs: evidence.fromMs,
    toMs: evidence.toMs,
    metric: 'accuracy' as const,
    // Findings without an estimate keep their old shape.
    ...(estimated ? { estimated } : {}),
    count: evidence.count,
    labeledCount: evidence.labeledCount,
  };
  if (evidence.labeledCount < thresholds.minLabeledRows || accuracy === null) {
    const summary = `${evidence.labeledCount} of ${evidence.count} predictions labelled, need ${thresholds.minLabeledRows}`;
    return {
      ...base,
      status: PerformanceStatus.insufficientLabels,
      accuracy,
      baseline,
      degradation: null,
      z: null,
      summary,
    };
  }
  if (baseline === null) {
    return {
      ...base,
      status: PerformanceStatus.noBaseline,
      accuracy,
      baseline,
      degradation: null,
      z: null,
      summary: `accuracy ${pct(accuracy)}; champion has no held-out accuracy to compare with`,
    };
  }
  const degradation = baseline - accuracy;
  // Binomial standard error at the baseline rate; floor it so a perfect baseline cannot divide by zero.
  const se = Math.max(Math.sqrt((baseline * (1 - baseline)) / evidence.labeledCount), 1e-6);
  const z = degradation / se;
  const degraded = degradation >= thresholds.performanceFloor && z >= thresholds.minDegradationZ;
  const summary = `accuracy ${pct(accuracy)} vs baseline ${pct(baseline)} over ${evidence.labeledCount} labels (drop ${(degradation * 100).toFixed(1)} pts, z ${z.toFixed(1)}, floor ${(thresholds.performanceFloor * 100).toFixed(1)} pts)`;
  return {
    ...base,
    status: degraded ? PerformanceStatus.degraded : PerformanceStatus.ok,
    accuracy,
    baseline,
    degradation,
    z,
    summary,
  };
}
