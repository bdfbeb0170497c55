import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { RolloutPolicy } from '../../domain/policies/rollout-policy.js';
import type { StepAction } from '../../domain/rollout/judge-step.js';
import type { UnservableKind } from '../../domain/rollout/serviceability.js';
import type { LiveMetrics } from '../../domain/records/live-metrics.js';
import type { RolloutCommand } from '../../domain/signals.js';
import type { SnapshotRef } from '../activity-types.js';

export const ROLLOUT_WORKFLOW = 'rollout';

/** `flywheel:<modelId>:cycle:<n>:rollout`. */
export const rolloutWorkflowId = (cycleWorkflowId: string): string => `${cycleWorkflowId}:rollout`;

export interface RolloutInput {
  modelId: string;
  candidateVersion: number;
  /** Null for the first model: nothing to compare with or fall back to. */
  championVersion: number | null;
  policy: RolloutPolicy;
  /** How live accuracy is judged; default binary classification. */
  task?: 'binaryClassification' | 'regression';
  /** The cycle's snapshot: its held-out rows are the smoke test of every serviceability check. */
  heldOut?: SnapshotRef;
}

/**
 * Marks the histories whose rollout checks that the candidate can be served (before any
 * traffic and every weight step) and reads the gateway's refusals at each bake's end.
 */
export const SERVICEABILITY_PATCH = 'rollout-serviceability-gate';
/** Marks histories whose routing writes run in a non-cancellable scope (a cancel waits for the write, then compensates). */
export const ROUTE_NON_CANCELLABLE_PATCH = 'rollout-route-non-cancellable';

export const RolloutResultOutcome = { promoted: 'promoted', rolledBack: 'rolledBack', aborted: 'aborted' } as const;
export type RolloutResultOutcome = (typeof RolloutResultOutcome)[keyof typeof RolloutResultOutcome];

export interface RolloutStepRecord {
  phase: string;
  action: StepAction | 'abort' | 'promoteNow' | 'start';
  reason: string;
  at: number;
  metrics?: LiveMetrics;
}

export interface RolloutResult {
  outcome: RolloutResultOutcome;
  reason: string;
  steps: RolloutStepRecord[];
  /** Set when the candidate was rolled back because it cannot be served: what failed, where. */
  unservable?: { kind: UnservableKind; detail: string; phase: string };
}

export const abortRolloutSignal = defineSignal<[RolloutCommand]>('abortRollout');
export const promoteNowSignal = defineSignal<[RolloutCommand]>('promoteNow');

export interface RolloutStatus {
  phase: string;
  paused: boolean;
  steps: RolloutStepRecord[];
  rejectedInputs: number;
}
export const rolloutStatusQuery = defineQuery<RolloutStatus>('status');
