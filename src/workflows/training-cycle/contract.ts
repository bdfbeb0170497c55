import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CycleStep } from '../../domain/flywheel/cycle-report.js';
import type { ModelSpec } from '../../domain/model-spec/model-spec.js';
import type { ApprovalDecision } from '../../domain/signals.js';
import type { TriggerBatch } from '../../domain/trigger/trigger.js';

export const TRAINING_CYCLE_WORKFLOW = 'trainingCycle';

/** `flywheel:<modelId>:cycle:<n>`: reads as a sentence in the UI. */
export const cycleWorkflowId = (modelId: string, cycle: number): string => `flywheel:${modelId}:cycle:${cycle}`;

export interface CycleInput {
  modelId: string;
  cycle: number;
  spec: ModelSpec;
  trigger: TriggerBatch;
  /** The code version recorded in the lineage (git commit or package version). */
  codeVersion?: string;
  /** Task queue of the training workers; default ct-training (tests and benchmarks use their own). */
  trainingTaskQueue?: string;
}

/** Answer to an accepted `approve`/`reject` update. */
export interface ApprovalAnswer {
  cycleId: string;
  decision: 'approved' | 'rejected';
  by: string;
  at: string;
}

export const approveUpdate = defineUpdate<ApprovalAnswer, [ApprovalDecision]>('approve');
export const rejectUpdate = defineUpdate<ApprovalAnswer, [ApprovalDecision]>('reject');
/** Signal twins for `temporal workflow signal` users; a refused one is logged and counted. */
export const approveSignal = defineSignal<[ApprovalDecision]>('approve');
export const rejectSignal = defineSignal<[ApprovalDecision]>('reject');

export interface CycleStatus {
  cycleId: string;
  step: CycleStep | 'starting' | 'done';
  candidateVersion?: number;
  approval: { pending: boolean; deadline?: string; approvers: string[]; reason?: string };
  rejectedInputs: number;
}
export const cycleStatusQuery = defineQuery<CycleStatus>('status');
