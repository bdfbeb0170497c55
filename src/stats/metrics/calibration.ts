import { StatsInputError } from '../table.js';

/** One bin of a reliability diagram. */
export interface CalibrationBin {
  /** Lower and upper edge; the bin holds (lower, upper], the first bin also holds 0. */
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  /** Mean predicted probability and observed positive rate in the bin (null when empty). */
  readonly meanPredicted: number | null;
  readonly observedRate: number | null;
}

export interface Calibration {
  /** Σ_b (n_b / N) · |observed_b − predicted_b| over non-empty bins. */
  readonly expectedCalibrationError: number;
  readonly bins: readonly CalibrationBin[];
}

/**
 * Expected calibration error on equal-width bins weighted by bin count.
 *
 * The bins are exactly those of sklearn's `calibration_curve(strategy="uniform")`:
 * edges `i · (1/B)` as `numpy.linspace` computes them, and a probability on an inner
 * edge belongs to the lower bin (numpy `searchsorted` side="left"). So the per-bin
 * means here are the curve sklearn draws, and ECE is their count-weighted gap.
 */
export function calibration(labels: Uint8Array, probability: Float64Array, binCount: number): Calibration {
  if (!Number.isInteger(binCount) || binCount < 1) {
    throw new StatsInputError(`calibrationBins must be a positive integer, got ${String(binCount)}`);
  }
  const step = 1 / binCount;
  const innerEdges = new Float64Array(binCount - 1);
  for (let b = 1; b < binCount; b++) innerEdges[b - 1] = b * step;
  const counts = new Float64Array(binCount);
  const sumPredicted = new Float64Array(binCount);
  const sumPositive = new Float64Array(binCount);
  for (let i = 0; i < probability.length; i++) {
    const p = probability[i]!;
    // First guess from the arithmetic, then fix up against the stored edges so that
    // values on (or one ulp around) an edge land where numpy puts them.
    let bin = Math.min(binCount - 1, Math.floor(p * binCount));
    while (bin > 0 && p <= innerEdges[bin - 1]!) bin--;
    while (bin < binCount - 1 && p > innerEdges[bin]!) bin++;
    counts[bin]! += 1;
    sumPredicted[bin]! += p;
    sumPositive[bin]! += labels[i]!;
  }
  const total = probability.length;
  let ece = 0;
  const bins: CalibrationBin[] = [];
  for (let b = 0; b < binCount; b++) {
    const count = counts[b]!;
    const meanPredicted = count > 0 ? sumPredicted[b]! / count : null;
    const observedRate = count > 0 ? sumPositive[b]! / count : null;
    if (meanPredicted !== null && observedRate !== null) {
      ece += (count / total) * Math.abs(observedRate - meanPredicted);
    }
    bins.push({ lower: b * step, upper: b === binCount - 1 ? 1 : (b + 1) * step, count, meanPredicted, observedRate });
  }
  return { expectedCalibrationError: ece, bins };
}
