import type { TriggerBatch } from '../trigger/trigger.js';

/** The steps of one training cycle, in order. */
export const CycleStep = {
  snapshot: 'snapshot',
  validate: 'validate',
  train: 'train',
  evaluate: 'evaluate',
  register: 'register',
  approval: 'approval',
  rollout: 'rollout',
  finalize: 'finalize',
} as const;
export type CycleStep = (typeof CycleStep)[keyof typeof CycleStep];

/** How a cycle ended. Only `promoted` changes the champion. */
export const CycleOutcome = {
  promoted: 'promoted',
  dataInvalid: 'dataInvalid',
  gateRejected: 'gateRejected',
  approvalRejected: 'approvalRejected',
  approvalTimedOut: 'approvalTimedOut',
  rolledBack: 'rolledBack',
  aborted: 'aborted',
  cancelled: 'cancelled',
  failed: 'failed',
} as const;
export type CycleOutcome = (typeof CycleOutcome)[keyof typeof CycleOutcome];

export interface StepRecord {
  step: CycleStep;
  status: 'ok' | 'failed' | 'skipped';
  /** Epoch ms (workflow time) when the step ended. */
  at: number;
  /** One sentence: what happened and why. */
  detail: string;
  /** Small JSON facts worth keeping (ids, hashes, metrics); never datasets. */
  data?: Record<string, unknown>;
}

/** What a training cycle returns: every step and why it ended the way it did. */
export interface CycleReport {
  modelId: string;
  cycle: number;
  workflowId: string;
  trigger: TriggerBatch;
  startedAt: number;
  endedAt: number;
  outcome: CycleOutcome;
  reason: string;
  championVersionBefore: number | null;
  candidateVersion?: number;
  /** True when training resumed from a heartbeat checkpoint after a worker died. */
  resumedFromCheckpoint?: boolean;
  /** Alert-worthy facts beside the outcome, e.g. a champion that cannot be served. */
  findings?: string[];
  steps: StepRecord[];
}

/** The short form the flywheel keeps in its state and `status`. */
export interface CycleSummary {
  cycle: number;
  workflowId: string;
  /** First run id of the cycle's workflow (absent in summaries kept by older versions). */
  runId?: string;
  outcome: CycleOutcome;
  reason: string;
  trigger: string;
  startedAt: number;
  endedAt: number;
  candidateVersion?: number;
  resumedFromCheckpoint?: boolean;
}

export function summarizeCycle(r: CycleReport): CycleSummary {
  const s: CycleSummary = {
    cycle: r.cycle,
    workflowId: r.workflowId,
    outcome: r.outcome,
    reason: r.reason,
    trigger: r.trigger.primary,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
  };
  if (r.candidateVersion !== undefined) s.candidateVersion = r.candidateVersion;
  if (r.resumedFromCheckpoint !== undefined) s.resumedFromCheckpoint = r.resumedFromCheckpoint;
  return s;
}
