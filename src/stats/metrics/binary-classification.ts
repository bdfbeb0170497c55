import { calibration, type CalibrationBin } from './calibration.js';
import { averagePrecisionFromSplit, rocAucFromSplit, splitSorted } from './ranking.js';
import { CompensatedSum } from './sum.js';
import { checkSameLength, toLabels, toProbabilities } from './validate.js';
import { StatsInputError } from '../table.js';

export interface BinaryMetricsOptions {
  /** A row is predicted positive when probability ≥ threshold. Default 0.5. */
  readonly threshold?: number;
  /** Number of equal-width bins for the expected calibration error. Default 10. */
  readonly calibrationBins?: number;
}

export interface ConfusionCounts {
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly trueNegatives: number;
  readonly falseNegatives: number;
}

export interface BinaryClassificationMetrics {
  readonly count: number;
  readonly positives: number;
  readonly threshold: number;
  readonly confusion: ConfusionCounts;
  readonly accuracy: number;
  /** 0 when nothing is predicted positive (sklearn's zero_division default). */
  readonly precision: number;
  /** 0 when there are no positives (sklearn's zero_division default). */
  readonly recall: number;
  readonly f1: number;
  /** Null when only one class is present: AUC is undefined (sklearn raises). */
  readonly rocAuc: number | null;
  /** Null when there are no positives: AP is undefined (sklearn warns). */
  readonly averagePrecision: number | null;
  /** Natural-log loss; probabilities clipped to [eps, 1 − eps], eps = 2^-52, as sklearn ≥ 1.5. */
  readonly logLoss: number;
  readonly brier: number;
  readonly expectedCalibrationError: number;
  readonly calibrationBins: readonly CalibrationBin[];
}

const EPS = Number.EPSILON;

/** One row's log loss, with sklearn's clipping of the class probability to [eps, 1 − eps]. */
export function logLossTerm(y: number, p: number): number {
  // sklearn clips the column 1 − p for the negative class, not p: same order, same rounding.
  const q = y === 1 ? p : 1 - p;
  return -Math.log(Math.min(Math.max(q, EPS), 1 - EPS));
}

/**
 * Threshold, ranking and probabilistic metrics of a binary classifier, computed the way
 * scikit-learn computes them (accuracy_score, precision/recall/f1_score, roc_auc_score,
 * average_precision_score, log_loss, brier_score_loss) plus the expected calibration
 * error on sklearn's calibration_curve bins. O(n log n); throws StatsInputError for empty
 * or mismatched input, labels other than 0/1 and probabilities outside [0, 1].
 */
export function binaryClassificationMetrics(
  yTrue: ArrayLike<number>,
  probability: ArrayLike<number>,
  options: BinaryMetricsOptions = {},
): BinaryClassificationMetrics {
  const what = 'binaryClassificationMetrics';
  checkSameLength(what, { yTrue, probability });
  const labels = toLabels(what, 'yTrue', yTrue);
  const p = toProbabilities(what, 'probability', probability);
  return binaryMetricsOfValid(labels, p, options);
}

/** The same metrics for inputs already validated (used per slice without re-checking). */
export function binaryMetricsOfValid(
  labels: Uint8Array,
  p: Float64Array,
  options: BinaryMetricsOptions = {},
): BinaryClassificationMetrics {
  const threshold = options.threshold ?? 0.5;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
    throw new StatsInputError(
      `binaryClassificationMetrics: threshold must be a finite number, got ${String(threshold)}`,
    );
  }
  const n = labels.length;
  let tp = 0,
    fp = 0,
    tn = 0,
    fn = 0;
  const logLoss = new CompensatedSum();
  const brier = new CompensatedSum();
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    const pi = p[i]!;
    const predicted = pi >= threshold;
    if (y === 1) {
      if (predicted) tp++;
      else fn++;
    } else {
      if (predicted) fp++;
      else tn++;
    }
    logLoss.add(logLossTerm(y, pi));
    const d = pi - y;
    brier.add(d * d);
  }
  const split = splitSorted(labels, p);
  const cal = calibration(labels, p, options.calibrationBins ?? 10);
  return {
    count: n,
    positives: tp + fn,
    threshold,
    confusion: { truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn },
    accuracy: (tp + tn) / n,
    precision: tp + fp > 0 ? tp / (tp + fp) : 0,
    recall: tp + fn > 0 ? tp / (tp + fn) : 0,
    f1: 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0,
    rocAuc: rocAucFromSplit(split),
    averagePrecision: averagePrecisionFromSplit(split),
    logLoss: logLoss.value / n,
    brier: brier.value / n,
    expectedCalibrationError: cal.expectedCalibrationError,
    calibrationBins: cal.bins,
  };
}
