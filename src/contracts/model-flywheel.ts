import type { FlywheelData, FlywheelStatus } from '../domain/flywheel/flywheel-state.js';
import type { PolicyChange } from '../domain/flywheel/policy-change.js';
import type { ModelSpec } from '../domain/model-spec/model-spec.js';
import {
  AlertResolvedSchema,
  CycleFinishedSchema,
  CycleProgressSchema,
  DriftAlertSchema,
  NewDataSchema,
  PauseSchema,
  PerformanceReportSchema,
  RetrainRequestSchema,
  UpdatePolicySchema,
  type CycleProgressPayload,
} from '../domain/signals.js';
import type { z } from 'zod';
import { byName, queryMessage, signalMessage, signalTwin, updateMessage } from './message.js';

/** Workflow type name of the per-model entity workflow. */
export const MODEL_FLYWHEEL_WORKFLOW = 'modelFlywheel';

/** `flywheel:<modelId>`: one flywheel per model, so starting twice is idempotent. */
export const flywheelWorkflowId = (modelId: string): string => `flywheel:${modelId}`;

export interface FlywheelOptions {
  /** Continue-as-new once history reaches this many events even if the server has not suggested it. */
  historyLimit?: number;
  /**
   * Continue-as-new at this history length even with a cycle in flight (default 40,000), after
   * telling the cycle to report by signal to the next run.
   */
  hardHistoryLimit?: number;
  /** Task queue of the training workers, passed to every cycle; default ct-training. */
  trainingTaskQueue?: string;
  /** Task queue the cycles (and their rollouts) run on; default the flywheel's own queue. */
  cycleTaskQueue?: string;
  /** Recorded in every version's lineage. */
  codeVersion?: string;
}

export interface FlywheelInput {
  modelId: string;
  /**
   * A model spec; the workflow parses it (defaults applied) at start. Without one the flywheel
   * records triggers and waits for `updatePolicy` with a spec; one that does not parse leaves
   * it running `misconfigured` (shown in `status`, naming the field) until such an update.
   */
  spec?: ModelSpec;
  /** State carried across continue-as-new; callers leave it out. */
  carried?: FlywheelData;
  options?: FlywheelOptions;
}

/** The flywheel workflow's signature, for typed starts by type name (clients never import the body). */
export type ModelFlywheelWorkflow = (input: FlywheelInput) => Promise<void>;

// Trigger signals: the workflow parses every payload with the message's schema and drops (and counts in `status`) what fails.
export const driftAlertSignal = signalMessage('driftAlert', DriftAlertSchema);
export const newDataSignal = signalMessage('newData', NewDataSchema);
export const performanceReportSignal = signalMessage('performanceReport', PerformanceReportSchema);
export const retrainRequestedSignal = signalMessage('retrainRequested', RetrainRequestSchema);
/** Retracts the pending triggers of an alert that resolved (matched by fingerprint). */
export const alertResolvedSignal = signalMessage('alertResolved', AlertResolvedSchema);
export const pauseSignal = signalMessage('pause', PauseSchema);
export const resumeSignal = signalMessage('resume', PauseSchema);

/** What `updatePolicy` carries: policies to replace and/or a whole spec, plus who and why. */
export type PolicyUpdatePayload = z.input<typeof UpdatePolicySchema>;
/**
 * Changes the policy and answers what changed; its validator refuses a bad change (naming
 * the field) before anything enters history.
 */
export const updatePolicyUpdate = updateMessage<PolicyChange>()('updatePolicy', UpdatePolicySchema);
/** Signal twin of {@link updatePolicyUpdate}: signal-with-start uses it; a bad one is dropped and counted in `status`. */
export const updatePolicySignal = signalTwin(updatePolicyUpdate);
export type { PolicyChange };

/** Every signal a client may send the flywheel, by name (`FlywheelClient.send` takes one of these). */
export const flywheelSignals = byName(
  driftAlertSignal,
  newDataSignal,
  performanceReportSignal,
  retrainRequestedSignal,
  alertResolvedSignal,
  pauseSignal,
  resumeSignal,
  updatePolicySignal,
);
export type FlywheelSignal = (typeof flywheelSignals)[keyof typeof flywheelSignals];

/**
 * Sent by a training cycle to the flywheel that started it, as it moves (for `status`) and
 * when it ends. Each names the cycle's workflow id and first run id: the flywheel ignores
 * (and counts in `status`) any report not from the child it started.
 */
export type CycleProgress = CycleProgressPayload;
export const cycleProgressSignal = signalMessage('cycleProgress', CycleProgressSchema);
export const cycleFinishedSignal = signalMessage('cycleFinished', CycleFinishedSchema);

export const statusQuery = queryMessage<FlywheelStatus>()('status');
