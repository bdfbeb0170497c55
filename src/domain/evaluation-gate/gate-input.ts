import type { GateMetric, GatePolicy } from '../policies/gate-policy.js';
import type { SignificanceResult } from './gate-result.js';

export type MetricValues = Readonly<Partial<Record<GateMetric, number>>>;

/** The primary metric of champion and challenger on the rows of one slice value. */
export interface SliceEvidence {
  readonly column: string;
  readonly value: string;
  readonly rows: number;
  readonly challenger: number;
  /** Absent when there is no champion. */
  readonly champion?: number;
}

/** Between-group gaps of the challenger's predictions on one group column. */
export interface FairnessEvidence {
  readonly groupColumn: string;
  readonly demographicParityDiff?: number;
  readonly equalOpportunityDiff?: number;
}

/** Everything the gate judges; computed by the evaluation activity, judged here without I/O. */
export interface GateInput {
  readonly policy: GatePolicy;
  readonly challenger: MetricValues;
  /** Null or absent for the first model of a model id: only absolute limits apply. */
  readonly champion?: MetricValues | null;
  /**
   * Set when there is a champion but it cannot be loaded (its artifact fails its sha256,
   * is missing or does not parse): the challenger is then judged like a first model, on
   * the absolute limits, and every skipped comparison says why.
   */
  readonly championUnservable?: { readonly version: number; readonly kind: string } | null;
  /** Result of the policy's significance test on the primary metric. */
  readonly significance?: SignificanceResult | null;
  readonly slices?: readonly SliceEvidence[];
  readonly fairness?: readonly FairnessEvidence[];
  readonly sizeBytes: number;
  readonly latencyP95Ms: number;
}
