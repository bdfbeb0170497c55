import type { LiveMetrics } from '../../domain/records/index.js';

/** Sums over a window of the prediction log, as both backends' queries return them. */
export interface LiveMetricsAggregates {
  count: number;
  errors: number;
  labeled: number;
  correct: number;
  absErr: number;
  p95: number | null;
  shadow?: { count: number; same: number };
}

/** The port's LiveMetrics from window sums: one definition of the rates for every backend. */
export function liveMetricsOf(a: LiveMetricsAggregates, task: 'binaryClassification' | 'regression'): LiveMetrics {
  return {
    count: a.count,
    errorRate: a.count === 0 ? 0 : a.errors / a.count,
    p95LatencyMs: a.p95,
    labeledCount: a.labeled,
    ...(a.labeled > 0 && task === 'binaryClassification' ? { accuracy: a.correct / a.labeled } : {}),
    ...(a.labeled > 0 && task === 'regression' ? { mae: a.absErr / a.labeled } : {}),
    ...(a.shadow && a.shadow.count > 0 && task === 'binaryClassification'
      ? { shadowCount: a.shadow.count, agreement: a.shadow.same / a.shadow.count }
      : {}),
  };
}
