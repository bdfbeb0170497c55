import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { FlywheelData, FlywheelStatus } from '../../domain/flywheel/flywheel-state.js';
import type { PolicyChange } from '../../domain/flywheel/policy-change.js';
import type { ModelSpec } from '../../domain/model-spec/model-spec.js';
import type { CycleFinishedPayload, CycleProgressPayload, DriftAlert, NewData, PauseRequest, PerformanceReport, RetrainRequest, UpdatePolicy } from '../../domain/signals.js';
import type { z } from 'zod';
import type { UpdatePolicySchema, RetrainRequestSchema } from '../../domain/signals.js';

/** Workflow type name of the per-model entity workflow. */
export const MODEL_FLYWHEEL_WORKFLOW = 'modelFlywheel';

/** `flywheel:<modelId>`: one flywheel per model, so starting twice is idempotent. */
export const flywheelWorkflowId = (modelId: string): string => `flywheel:${modelId}`;

export interface FlywheelOptions {
  /** Continue-as-new once history reaches this many events even if the server has not suggested it. */
  historyLimit?: number;
  /** Task queue of the training workers, passed to every cycle; default ct-training. */
  trainingTaskQueue?: string;
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

// Signals carry the client-side input types; the workflow re-validates every payload with zod.
export const driftAlertSignal = defineSignal<[DriftAlert]>('driftAlert');
export const newDataSignal = defineSignal<[NewData]>('newData');
export const performanceReportSignal = defineSignal<[PerformanceReport]>('performanceReport');
export const retrainRequestedSignal = defineSignal<[z.input<typeof RetrainRequestSchema> | RetrainRequest]>('retrainRequested');
export const pauseSignal = defineSignal<[PauseRequest?]>('pause');
export const resumeSignal = defineSignal<[PauseRequest?]>('resume');
/** What `updatePolicy` carries: policies to replace and/or a whole spec, plus who and why. */
export type PolicyUpdatePayload = z.input<typeof UpdatePolicySchema> | UpdatePolicy;
/** Signal twin of {@link updatePolicyUpdate}: signal-with-start uses it; a bad one is dropped and counted in `status`. */
export const updatePolicySignal = defineSignal<[PolicyUpdatePayload]>('updatePolicy');
/**
 * Changes the policy and answers what changed; its validator refuses a bad change (naming
 * the field) before anything enters history. Same name as the signal: the SDK keeps
 * update and signal handlers apart, as for `approve` on the cycle.
 */
export const updatePolicyUpdate = defineUpdate<PolicyChange, [PolicyUpdatePayload]>('updatePolicy');
export type { PolicyChange };

/**
 * Sent by a training cycle to the flywheel that started it, as it moves (for `status`) and
 * when it ends. Each names the cycle's workflow id and first run id: the flywheel ignores
 * (and counts in `status`) any report not from the child it started.
 */
export type CycleProgress = CycleProgressPayload;
export const cycleProgressSignal = defineSignal<[CycleProgressPayload]>('cycleProgress');
export const cycleFinishedSignal = defineSignal<[CycleFinishedPayload]>('cycleFinished');

export const statusQuery = defineQuery<FlywheelStatus>('status');
