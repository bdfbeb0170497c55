import { z } from 'zod';
import { DurationSchema } from '../domain/duration.js';
import type { MonitorFinding, MonitorSignalName } from '../domain/monitor/monitor-finding.js';
import type { MonitorDriftSettings } from '../domain/policies/validation-policy.js';
import { ReferenceAfterPromotionSchema } from '../domain/monitor/drift-reference.js';
import { bareSignalMessage, queryMessage, signalMessage, type SignalMessage } from './message.js';
import { driftAlertSignal, performanceReportSignal } from './model-flywheel.js';

/** Workflow type name of the per-model production monitor. */
export const PRODUCTION_MONITOR_WORKFLOW = 'productionMonitor';

/** `flywheel:<modelId>:monitor`: sits beside the model's flywheel in the UI's id list. */
export const monitorWorkflowId = (modelId: string): string => `flywheel:${modelId}:monitor`;

/**
 * How the monitor watches a model. Durations take "30s", "5m", "1h" or ms. Thresholds that
 * decide whether to signal come from the spec's trigger floors (passed as `floors`); these
 * settings only shape the windows and the noise guard.
 */
export const MonitorSettingsSchema = z
  .object({
    /** Time between two checks (a durable timer). */
    intervalMs: DurationSchema.default('5m'),
    /** Drift compares the features logged over this trailing window with the champion's reference profile. */
    driftWindowMs: DurationSchema.default('1h'),
    /** Performance is measured over this window, ending `labelLatencyMs` before now. */
    performanceWindowMs: DurationSchema.default('1h'),
    /** How long labels take to arrive; younger predictions are not judged yet. */
    labelLatencyMs: DurationSchema.default('15m'),
    minDriftRows: z.number().int().min(1).default(200),
    minLabeledRows: z.number().int().min(1).default(200),
    /** Drop / standard error a performance drop must also reach (2.33 ≈ one-sided p < 0.01). */
    minDegradationZ: z.number().min(0).default(2.33),
    /** A kind signalled within this period is not signalled again (the flywheel debounces too). */
    resignalAfterMs: DurationSchema.default('1h'),
    /** Checks per run before continue-as-new keeps the history short. */
    checksPerRun: z.number().int().min(1).max(2000).default(200),
    /**
     * The drift reference once a champion has replaced another (the spec's
     * `monitor.referenceAfterPromotion`); absent in settings kept by older runs (championTraining).
     */
    referenceAfterPromotion: ReferenceAfterPromotionSchema.optional(),
  })
  .strict();
export type MonitorSettings = z.output<typeof MonitorSettingsSchema>;
export type MonitorSettingsInput = z.input<typeof MonitorSettingsSchema>;

/** The trigger floors the monitor signals at: `spec.trigger.floors.drift` and `.performance`. */
export const MonitorFloorsSchema = z
  .object({ drift: z.number().min(0).max(1), performance: z.number().min(0) })
  .strict();
export type MonitorFloors = z.infer<typeof MonitorFloorsSchema>;

/** What crosses continue-as-new: plain JSON only. */
export interface MonitorCarried {
  checks: number;
  lastSignals: { [K in MonitorSignalName]?: number };
  signalsSent: Record<MonitorSignalName, number>;
  recent: MonitorFinding[];
  failures: number;
}

export interface ProductionMonitorInput {
  modelId: string;
  floors: MonitorFloors;
  settings?: MonitorSettingsInput;
  /** The spec's drift test settings (`validation.drift`); runs started without them use the defaults. */
  drift?: MonitorDriftSettings;
  /** Set by the workflow itself on continue-as-new; callers leave it out. */
  carried?: MonitorCarried;
}

/** The monitor workflow's signature, for typed starts by type name. */
export type ProductionMonitorWorkflow = (input: ProductionMonitorInput) => Promise<void>;

/** Answer of the `findings` query. */
export interface MonitorStatus {
  modelId: string;
  settings: MonitorSettings;
  floors: MonitorFloors;
  checks: number;
  failures: number;
  lastFinding: MonitorFinding | null;
  /** The most recent findings, newest last. */
  recent: MonitorFinding[];
  lastSignals: MonitorCarried['lastSignals'];
  signalsSent: MonitorCarried['signalsSent'];
  /** Signal payloads dropped because they failed validation. */
  rejectedInputs: number;
}

export const findingsQuery = queryMessage<MonitorStatus>()('findings');

/**
 * Replaces some settings (and/or floors), e.g. when the spec's trigger policy changes. The
 * workflow merges `settings` into its current ones and drops the whole signal if the result
 * or `floors` does not parse; unknown top-level keys are ignored.
 */
export const UpdateMonitorSettingsSchema = z.object({
  settings: MonitorSettingsSchema.partial().optional(),
  floors: MonitorFloorsSchema.optional(),
});
export const updateMonitorSettingsSignal = signalMessage('updateMonitorSettings', UpdateMonitorSettingsSchema);
/** Runs a check now instead of waiting for the timer. */
export const checkNowSignal = bareSignalMessage('checkNow');

/**
 * The input of one production check (the `inspectProduction` activity) of a model watched
 * with these settings and floors: the per-model monitor and the fleet sweep build it alike.
 */
export function inspectionInput(
  modelId: string,
  settings: MonitorSettings,
  floors: MonitorFloors,
  lastSignals: MonitorCarried['lastSignals'],
  drift: MonitorDriftSettings | undefined,
) {
  return {
    modelId,
    driftWindowMs: settings.driftWindowMs,
    performanceWindowMs: settings.performanceWindowMs,
    labelLatencyMs: settings.labelLatencyMs,
    lastSignals,
    thresholds: {
      driftFloor: floors.drift,
      performanceFloor: floors.performance,
      minDriftRows: settings.minDriftRows,
      minLabeledRows: settings.minLabeledRows,
      minDegradationZ: settings.minDegradationZ,
      resignalAfterMs: settings.resignalAfterMs,
    },
    ...(drift ? { drift } : {}),
    ...(settings.referenceAfterPromotion ? { referenceAfterPromotion: settings.referenceAfterPromotion } : {}),
  };
}

/**
 * The flywheel signal each monitor finding names (`MonitorFinding.signals[].signal`). Keyed by
 * the domain's names and typed to match them, so renaming a flywheel signal cannot leave the
 * monitor sending the old name.
 */
export const monitorSignals: { readonly [K in MonitorSignalName]: SignalMessage<K> } = {
  driftAlert: driftAlertSignal,
  performanceReport: performanceReportSignal,
};
