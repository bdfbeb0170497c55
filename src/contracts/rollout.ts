import type { RolloutPolicy } from '../domain/policies/rollout-policy.js';
import type { LiveMetrics } from '../domain/records/live-metrics.js';
import type { SnapshotRef } from '../domain/records/snapshot-ref.js';
import type { StepAction } from '../domain/rollout/judge-step.js';
import type { UnservableKind } from '../domain/rollout/serviceability.js';
import { RolloutCommandSchema } from '../domain/signals.js';
import { queryMessage, signalMessage } from './message.js';

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

export const RolloutResultOutcome = { promoted: 'promoted', rolledBack: 'rolledBack', aborted: 'aborted' } as const;
export type RolloutResultOutcome = (typeof RolloutResultOutcome)[keyof typeof RolloutResultOutcome];

/** Stops the rollout and restores the champion's traffic. */
export const abortRolloutSignal = signalMessage('abortRollout', RolloutCommandSchema);
/** Skips the remaining phases and promotes the candidate. */
export const promoteNowSignal = signalMessage('promoteNow', RolloutCommandSchema);

export interface RolloutStepRecord {
  phase: string;
  /** A judged step, the start, an abort, or the `promoteNow` signal acted on. */
  action: StepAction | 'abort' | typeof promoteNowSignal.name | 'start';
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

/** The rollout workflow's signature, for typed starts by type name. */
export type RolloutWorkflow = (input: RolloutInput) => Promise<RolloutResult>;

/** The phase baking now, for `flywheel status`: query state only, nothing in history depends on it. */
export interface RolloutBake {
  phase: string;
  kind: 'shadow' | 'traffic';
  /** Share of live traffic the candidate takes, 0..1 (0 in shadow: it only sees mirrored requests). */
  weight: number;
  /** When this phase's bake started, and when the bake in progress ends (moved on by every extension). */
  startedAt: number;
  endsAt: number;
  /** Extensions taken in this phase, and how many the policy allows; their reasons are the `extend` steps. */
  extensions: number;
  maxExtensions: number;
}

export interface RolloutStatus {
  phase: string;
  paused: boolean;
  steps: RolloutStepRecord[];
  rejectedInputs: number;
  /** Absent before the first phase, after the last, and from rollouts started by older versions. */
  bake?: RolloutBake;
}
export const rolloutStatusQuery = queryMessage<RolloutStatus>()('status');
