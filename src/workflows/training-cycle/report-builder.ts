import type { CycleOutcome, CycleReport, CycleStep, StepRecord } from '../../domain/flywheel/cycle-report.js';
import type { TriggerBatch } from '../../domain/trigger/trigger.js';

/** Collects step records as the cycle moves; `finish` returns the report. Workflow time only. */
export class ReportBuilder {
  private readonly steps: StepRecord[] = [];
  private readonly findings: string[] = [];
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

  /** Something alert-worthy beside the outcome (a champion that cannot be served); named in the reason too. */
  finding(text: string): void {
    this.findings.push(text);
  }

  finish(outcome: CycleOutcome, reason: string): CycleReport {
    // The flywheel's status shows reasons, so a finding is never only in the step list.
    const briefs = this.findings.map((f) => f.split(': ')[0]).join('; ');
    const r: CycleReport = {
      modelId: this.modelId,
      cycle: this.cycle,
      workflowId: this.workflowId,
      trigger: this.trigger,
      startedAt: this.startedAt,
      endedAt: Date.now(),
      outcome,
      reason: briefs ? `${reason}; ${briefs}` : reason,
      championVersionBefore: this.championVersionBefore,
      steps: this.steps,
    };
    if (this.candidateVersion !== undefined) r.candidateVersion = this.candidateVersion;
    if (this.resumedFromCheckpoint !== undefined) r.resumedFromCheckpoint = this.resumedFromCheckpoint;
    if (this.findings.length > 0) r.findings = [...this.findings];
    return r;
  }
}
