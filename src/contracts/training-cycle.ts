import type { CycleReport, CycleStep } from '../domain/flywheel/cycle-report.js';
import type { ModelSpec } from '../domain/model-spec/model-spec.js';
import { ApprovalDecisionSchema, ReportBySignalSchema } from '../domain/signals.js';
import type { TriggerBatch } from '../domain/trigger/trigger.js';
import { queryMessage, signalMessage, signalTwin, updateMessage } from './message.js';

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
  /**
   * The flywheel that starts the cycle reads its result as its parent, so the cycle sends no
   * `cycleFinished` signal unless told to ({@link reportBySignalSignal}). Absent (cycles
   * started before it, or by anything else): the cycle reports by signal as it always did.
   */
  reportByResult?: boolean;
}

/** The cycle workflow's signature, for typed starts by type name. */
export type TrainingCycleWorkflow = (input: CycleInput) => Promise<CycleReport>;

/** Answer to an accepted `approve`/`reject` update. */
export interface ApprovalAnswer {
  cycleId: string;
  decision: 'approved' | 'rejected';
  by: string;
  at: string;
}

export const approveUpdate = updateMessage<ApprovalAnswer>()('approve', ApprovalDecisionSchema);
export const rejectUpdate = updateMessage<ApprovalAnswer>()('reject', ApprovalDecisionSchema);
/** Signal twins for `temporal workflow signal` users; a refused one is logged and counted. */
export const approveSignal = signalTwin(approveUpdate);
export const rejectSignal = signalTwin(rejectUpdate);

export interface CycleStatus {
  cycleId: string;
  step: CycleStep | 'starting' | 'done';
  candidateVersion?: number;
  approval: { pending: boolean; deadline?: string; approvers: string[]; reason?: string };
  rejectedInputs: number;
}
export const cycleStatusQuery = queryMessage<CycleStatus>()('status');
/** Flywheel → cycle, before the flywheel continues as new with the cycle in flight: report by signal. */
export const reportBySignalSignal = signalMessage('reportBySignal', ReportBySignalSchema);
