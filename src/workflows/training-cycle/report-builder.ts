import type { CycleOutcome, CycleReport, CycleStep, StepRecord } from '../../domain/flywheel/cycle-report.js';
import type { TriggerBatch } from '../../domain/trigger/trigger.js';

/** Collects step records as the cycle moves; `finish` returns the report. Workflow time only. */
export class ReportBuilder {
  private readonly steps: StepRecord[] = [];
  private readonly startedAt = Date.now();
  candidateVersion?: number;
  resumedFromCheckpoint?: boolean;
  championVersionBefore: number | null = null;

  constructor(
    private readonly modelId: string,
    private readonly cycle: number,
    private readonly workflowId: string,
    private readonly trigger: TriggerBatch,
  ) {}

  ok(step: CycleStep, detail: string, data?: Record<string, unknown>): void {
    this.steps.push({ step, status: 'ok', at: Date.now(), detail, ...(data ? { data } : {}) });
  }

  failed(step: CycleStep, detail: string, data?: Record<string, unknown>): void {
    this.steps.push({ step, status: 'failed', at: Date.now(), detail, ...(data ? { data } : {}) });
  }

  finish(outcome: CycleOutcome, reason: string): CycleReport {
    const r: CycleReport = {
      modelId: this.modelId,
      cycle: this.cycle,
      workflowId: this.workflowId,
      trigger: this.trigger,
      startedAt: this.startedAt,
      endedAt: Date.now(),
      outcome,
      reason,
      championVersionBefore: this.championVersionBefore,
      steps: this.steps,
    };
    if (this.candidateVersion !== undefined) r.candidateVersion = this.candidateVersion;
    if (this.resumedFromCheckpoint !== undefined) r.resumedFromCheckpoint = this.resumedFromCheckpoint;
    return r;
  }
}
