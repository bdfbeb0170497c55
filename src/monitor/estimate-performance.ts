import type { EstimatedPerformanceEvidence } from '../domain/monitor/estimated-performance.js';
import type { ProbabilityCalibration } from '../domain/records/model-version.js';
import { applyIsotonic } from '../stats/calibration/isotonic.js';
import { estimateBinaryPerformance } from '../stats/performance-estimation/cbpe.js';

/** The calibration a version recorded at registration, as a function of the model's P(class 1). */
export function calibrationOf(c: ProbabilityCalibration): (p: number) => number {
  if (c.method === 'isotonic') return (p) => applyIsotonic(c, p);
  return (p) => 1 / (1 + Math.exp(c.a * p + c.b));
}

/** The logged answers of a window the estimate reads: P(class 1) and the class answered, per row. */
export interface ScoredWindow {
  readonly probabilities: Float64Array;
  readonly predictions: Float64Array;
}

/** Fixed, so that the same window gives the same band in every check and replay. */
const BAND_SEED = 7;

/**
 * CBPE over the rows of a window that were answered with a probability (other rows, e.g.
 * failed requests or rows logged before probabilities were, are left out). The band is the
 * 95 % range of the realized value under the calibrated probabilities (src/stats/performance-estimation/cbpe.ts).
 */
export function estimateWindowPerformance(
  window: ScoredWindow,
  calibration: ProbabilityCalibration,
  span: { readonly fromMs: number; readonly toMs: number },
): EstimatedPerformanceEvidence {
  const calibrate = calibrationOf(calibration);
  const keep: number[] = [];
  for (let i = 0; i < window.probabilities.length; i++) {
    const p = window.probabilities[i]!;
    const y = window.predictions[i]!;
    if (p >= 0 && p <= 1 && (y === 0 || y === 1)) keep.push(i);
  }
  const score = Float64Array.from(keep, (i) => window.probabilities[i]!);
  const estimate = estimateBinaryPerformance(
    {
      score,
      calibrated: score.map(calibrate),
      predicted: Uint8Array.from(keep, (i) => window.predictions[i]!),
    },
    { seed: BAND_SEED },
  );
  return { ...span, ...estimate };
}
