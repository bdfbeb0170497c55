import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { RolloutPolicy } from '../../domain/policies/rollout-policy.js';
import type { StepAction } from '../../domain/rollout/judge-step.js';
import type { LiveMetrics } from '../../domain/records/live-metrics.js';
import type { RolloutCommand } from '../../domain/signals.js';

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
}

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
