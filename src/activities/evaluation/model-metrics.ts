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

const EPS = Number.EPSILON;

/** O(n) versions of the thresholded and probabilistic metrics, for the bootstrap's many resamples. */
const FAST: Readonly<Record<string, (y: Float64Array, p: Float64Array, threshold: number) => number>> = {
  accuracy: (y, p, t) => {
    let ok = 0;
    for (let i = 0; i < y.length; i++) ok += (p[i]! >= t ? 1 : 0) === y[i] ? 1 : 0;
    return ok / y.length;
  },
  f1: (y, p, t) => {
    let tp = 0,
      fp = 0,
      fn = 0;
    for (let i = 0; i < y.length; i++) {
      const hit = p[i]! >= t;
      if (hit && y[i] === 1) tp++;
      else if (hit) fp++;
      else if (y[i] === 1) fn++;
    }
    return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  },
  logLoss: (y, p) => {
    let s = 0;
    for (let i = 0; i < y.length; i++) {
      const q = Math.min(Math.max(p[i]!, EPS), 1 - EPS);
      s -= y[i] === 1 ? Math.log(q) : Math.log(1 - q);
    }
    return s / y.length;
  },
  brier: (y, p) => {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += (p[i]! - y[i]!) ** 2;
    return s / y.length;
  },
};

/**
 * A single gate metric as a function of (truth, scores), for resampling. The hot ones are
 * O(n) here; the rest go through the stats functions (the full-sample values always do).
 */
export function metricFunction(
  task: Task,
  metric: string,
  threshold = 0.5,
): (y: Float64Array, s: Float64Array) => number {
  const fast = task === 'binaryClassification' ? FAST[metric] : undefined;
  if (fast) return (y, s) => fast(y, s, threshold);
  return (y, s) => {
    const v = metricValues(task, y, s, threshold) as Record<string, number | undefined>;
    return v[metric] ?? Number.NaN;
  };
}

/** Hard 0/1 predictions of a classifier. */
export const hardPredictions = (scores: Float64Array, threshold = 0.5): Float64Array =>
  scores.map((p) => (p >= threshold ? 1 : 0));
