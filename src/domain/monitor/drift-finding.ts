import type { MonitorThresholds } from './thresholds.js';

/** One feature's drift verdict, as the drift report gives it. */
export interface FeatureDrift {
  readonly feature: string;
  readonly drifted: boolean;
  /** Test used (ks, chi-square, psi …) and its figures, for the UI. */
  readonly test?: string;
  readonly pValue?: number;
  readonly statistic?: number;
  /** Distance for distance methods (PSI, Jensen–Shannon, normed Wasserstein). */
  readonly distance?: number;
}

export const DriftStatus = {
  drifted: 'drifted',
  stable: 'stable',
  insufficientData: 'insufficientData',
  noReference: 'noReference',
} as const;
export type DriftStatus = (typeof DriftStatus)[keyof typeof DriftStatus];

/** What the monitor concluded about input drift in one window. */
export interface DriftFinding {
  readonly status: DriftStatus;
  readonly rows: number;
  readonly fromMs: number;
  readonly toMs: number;
  /** Share of monitored features that drifted (0..1): the score sent with `driftAlert`. */
  readonly score: number;
  readonly driftedFeatures: readonly string[];
  readonly features: readonly FeatureDrift[];
  readonly summary: string;
}

export interface DriftEvidence {
  readonly rows: number;
  readonly fromMs: number;
  readonly toMs: number;
  /** Per-feature verdicts; null when the champion has no reference profile to compare with. */
  readonly features: readonly FeatureDrift[] | null;
}

/**
 * Judges a drift window: the score is the share of drifted features, compared with the
 * trigger policy's drift floor. Too few rows or no reference profile give no verdict
 * (never a false alarm from a quiet window).
 */
export function judgeDrift(evidence: DriftEvidence, thresholds: MonitorThresholds): DriftFinding {
  const base = { rows: evidence.rows, fromMs: evidence.fromMs, toMs: evidence.toMs };
  if (evidence.features === null) {
    return {
      ...base,
      status: DriftStatus.noReference,
      score: 0,
      driftedFeatures: [],
      features: [],
      summary: 'champion has no reference profile',
    };
  }
  if (evidence.rows < thresholds.minDriftRows || evidence.features.length === 0) {
    return {
      ...base,
      status: DriftStatus.insufficientData,
      score: 0,
      driftedFeatures: [],
      features: evidence.features,
      summary: `${evidence.rows} rows in window, need ${thresholds.minDriftRows}`,
    };
  }
  const drifted = evidence.features.filter((f) => f.drifted).map((f) => f.feature);
  const score = drifted.length / evidence.features.length;
  const status = drifted.length > 0 && score >= thresholds.driftFloor ? DriftStatus.drifted : DriftStatus.stable;
  const share = `${drifted.length}/${evidence.features.length} features drifted (score ${score.toFixed(2)}, floor ${thresholds.driftFloor})`;
  return {
    ...base,
    status,
    score,
    driftedFeatures: drifted,
    features: evidence.features,
    summary: drifted.length ? `${share}: ${drifted.join(', ')}` : share,
  };
}
