import type { LastSignals, MonitorThresholds, ReferenceAfterPromotion } from '../domain/monitor/index.js';
import type { MonitorDriftSettings } from '../domain/policies/validation-policy.js';

/** What one production check of one model reads: its windows, thresholds and what was signalled last. */
export interface InspectProductionInput {
  modelId: string;
  driftWindowMs: number;
  performanceWindowMs: number;
  labelLatencyMs: number;
  thresholds: MonitorThresholds;
  lastSignals: LastSignals;
  /** Drift test settings (the spec's `validation.drift`); unset, the report uses p < 0.05 and distances ≥ 0.1. */
  drift?: MonitorDriftSettings;
  /** The drift reference once a champion has replaced another; unset, its training reference. */
  referenceAfterPromotion?: ReferenceAfterPromotion;
}
