import type { MetricValues } from '../../domain/evaluation-gate/gate-input.js';
import type { Task } from '../../domain/features.js';
import { binaryClassificationMetrics, regressionMetrics } from '../../stats/metrics/index.js';

/**
 * Every gate metric of one model's scores on held-out rows: probabilities for a
 * classifier (hard predictions at `threshold`), predictions for regression. A metric that
 * is undefined on these rows (ROC AUC with one class) is left out, and the gate reports it
 * as missing rather than guessing.
 */
export function metricValues(task: Task, yTrue: Float64Array, scores: Float64Array, threshold = 0.5): MetricValues {
  if (task === 'regression') {
    const m = regressionMetrics(yTrue, scores);
    return { mae: m.mae, rmse: m.rmse, r2: m.r2 };
  }
  const m = binaryClassificationMetrics(yTrue, scores, { threshold });
  const out: Record<string, number> = { accuracy: m.accuracy, f1: m.f1, logLoss: m.logLoss, brier: m.brier };
  if (m.rocAuc !== null) out.rocAuc = m.rocAuc;
  if (m.averagePrecision !== null) out.averagePrecision = m.averagePrecision;
  return out;
}

/** A single gate metric as a function of (truth, scores), for resampling. */
export function metricFunction(task: Task, metric: string, threshold = 0.5): (y: Float64Array, s: Float64Array) => number {
  return (y, s) => {
    const v = metricValues(task, y, s, threshold) as Record<string, number | undefined>;
    return v[metric] ?? Number.NaN;
  };
}

/** Hard 0/1 predictions of a classifier. */
export const hardPredictions = (scores: Float64Array, threshold = 0.5): Float64Array => scores.map((p) => (p >= threshold ? 1 : 0));
