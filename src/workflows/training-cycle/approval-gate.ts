import { condition, log, setHandler, workflowInfo } from '@temporalio/workflow';
import { approverRefusal, timeoutOutcome } from '../../domain/approval/approval-rules.js';
import type { ApprovalPolicy } from '../../domain/policies/approval-policy.js';
import { ApprovalDecisionSchema, describePayloadError, type ApprovalDecision } from '../../domain/signals.js';
import { RefusalCode, firstIssueField } from '../../domain/update-refusal.js';
import { refuseUpdate } from '../shared/refuse-update.js';
import { approvalTimerSummary } from '../shared/ui-details.js';
import {
  approveSignal,
  approveUpdate,
  rejectSignal,
  rejectUpdate,
  type ApprovalAnswer,
} from '../../contracts/training-cycle.js';

export interface ApprovalResult {
  approved: boolean;
  by: string;
  at: string;
  comment?: string;
  timedOut: boolean;
  reason: string;
}

/**
 * The human approval step. Handlers are installed when the cycle starts, so an approval
 * sent too early is refused ("no approval is pending") rather than lost. Updates answer
 * the caller and their validator refuses a wrong cycle, an unknown approver or a second
 * answer before anything enters history; the signal twins apply the same checks and
 * count refusals.
 */
export class ApprovalGate {
  private policy: ApprovalPolicy | null = null;
  private answer: ApprovalResult | undefined;
  private deadline: number | undefined;
  pendingReason: string | undefined;
  refused = 0;

  constructor(private readonly onRefused: (input: string, error: string) => void) {
    const cycleId = workflowInfo().workflowId;
    const accept =
      (decision: 'approved' | 'rejected') =>
      (d: ApprovalDecision): ApprovalAnswer => {
        const at = new Date().toISOString();
        this.answer = {
          approved: decision === 'approved',
          by: d.by,
          at,
          timedOut: false,
          reason: `${decision} by ${d.by}${d.comment ? `: ${d.comment}` : ''}`,
          ...(d.comment ? { comment: d.comment } : {}),
        };
        return { cycleId, decision, by: d.by, at };
      };
    const options = { validator: (raw: ApprovalDecision) => this.validate(raw) };
    // A validator only vets the argument: the handler still receives it raw, so it stores
    // the parsed value (the approver trimmed), never what the caller typed.
    const parseThen = (decision: 'approved' | 'rejected') => (raw: ApprovalDecision) =>
      accept(decision)(ApprovalDecisionSchema.parse(raw));
    setHandler(approveUpdate.definition, parseThen('approved'), options);
    setHandler(rejectUpdate.definition, parseThen('rejected'), options);
    const twin = (name: string, decision: 'approved' | 'rejected') => (raw: ApprovalDecision) => {
      try {
        this.validate(raw);
        accept(decision)(ApprovalDecisionSchema.parse(raw));
      } catch (err) {
        this.refused++;
        log.warn('refused an approval signal', { signal: name, error: String(err) });
        this.onRefused(name, (err as Error).message);
      }
    };
    setHandler(approveSignal.definition, twin(approveSignal.name, 'approved'));
    setHandler(rejectSignal.definition, twin(rejectSignal.name, 'rejected'));
  }

  get pending(): boolean {
    return this.policy !== null && this.answer === undefined;
  }
  get deadlineIso(): string | undefined {
    return this.deadline === undefined ? undefined : new Date(this.deadline).toISOString();
  }
  get approvers(): string[] {
    return this.policy?.approvers ?? [];
  }

  /** Throws an `UpdateRefused` failure (refusing the update) unless this is a well-formed answer from an approver to a pending approval of this cycle. */
  private validate(raw: unknown): void {
    const parsed = ApprovalDecisionSchema.safeParse(raw);
    if (!parsed.success) {
      throw refuseUpdate({
        code: RefusalCode.invalidPayload,
        field: firstIssueField(parsed.error),
        message: `invalid approval: ${describePayloadError(parsed.error)}`,
      });
    }
    const d = parsed.data;
    const cycleId = workflowInfo().workflowId;
    if (d.cycleId !== cycleId)
      throw refuseUpdate({
        code: RefusalCode.wrongCycle,
        field: 'cycleId',
        message: `unknown cycle "${d.cycleId}": this is ${cycleId}`,
      });
    if (!this.policy) {
      throw refuseUpdate({
        code: RefusalCode.notPending,
        message: `no approval is pending for ${cycleId} (the cycle has not reached its approval step)`,
      });
    }
    if (this.answer) {
      throw refuseUpdate({
        code: RefusalCode.alreadyAnswered,
        message: `${cycleId} was already ${this.answer.approved ? 'approved' : 'rejected'} by ${this.answer.by}`,
      });
    }
    const refusal = approverRefusal(this.policy, d.by);
    if (refusal) throw refuseUpdate({ code: RefusalCode.notApprover, field: 'by', message: refusal });
  }

  /**
   * Opens the approval and waits for an answer or the durable timeout. The approval is
   * pending (status, details) as soon as this is called, before its first await.
   */
  async wait(policy: ApprovalPolicy, reason: string, version?: number): Promise<ApprovalResult> {
    this.policy = policy;
    this.pendingReason = reason;
    this.deadline = Date.now() + policy.timeoutMs;
    const summary = approvalTimerSummary(version, this.deadlineIso!, policy.onTimeout);
    const answered = await condition(() => this.answer !== undefined, policy.timeoutMs, { summary });
    if (answered && this.answer) return this.answer;
    const t = timeoutOutcome(policy);
    this.answer = {
      approved: t.approved,
      by: 'flywheel:timeout',
      at: new Date().toISOString(),
      timedOut: true,
      reason: t.reason,
    };
    return this.answer;
  }
}
