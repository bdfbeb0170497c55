import { formatDuration } from '../duration.js';
import type { ApprovalPolicy } from '../policies/approval-policy.js';
import { metricGain, type GateMetric } from '../policies/gate-policy.js';

/** What the approval rules look at: the gate's metrics and the trigger that started the cycle. */
export interface ApprovalContext {
  primaryMetric: GateMetric;
  challenger: Partial<Record<GateMetric, number>>;
  /** Absent for the first model of a model id. */
  champion?: Partial<Record<GateMetric, number>> | null;
  /** Highest drift severity among the cycle's triggers, if any. */
  driftSeverity?: number;
}

export interface ApprovalRequirement {
  required: boolean;
  reason: string;
}

/** Improvement of the challenger over the champion on the primary metric (positive = better); null without a champion. */
export function primaryImprovement(ctx: ApprovalContext): number | null {
  const c = ctx.challenger[ctx.primaryMetric];
  const p = ctx.champion?.[ctx.primaryMetric];
  if (c === undefined || p === undefined) return null;
  return metricGain(ctx.primaryMetric, c, p);
}

const round = (x: number) => Number(x.toFixed(4));

/** Decides whether a person must approve this candidate, and why. */
export function approvalRequirement(policy: ApprovalPolicy, ctx: ApprovalContext): ApprovalRequirement {
  if (policy.mode === 'auto') return { required: false, reason: 'approval policy is auto' };
  if (policy.mode === 'manual')
    return { required: true, reason: 'approval policy is manual: every candidate needs a person' };
  const when = policy.when ?? {};
  const improvement = primaryImprovement(ctx);
  const hits: string[] = [];
  if (when.firstModel && !ctx.champion) hits.push('there is no champion yet');
  if (when.improvementBelow !== undefined && improvement !== null && improvement < when.improvementBelow) {
    hits.push(`${ctx.primaryMetric} improvement ${round(improvement)} is below ${when.improvementBelow}`);
  }
  if (
    when.driftSeverityAtLeast !== undefined &&
    ctx.driftSeverity !== undefined &&
    ctx.driftSeverity >= when.driftSeverityAtLeast
  ) {
    hits.push(`drift severity ${round(ctx.driftSeverity)} is at least ${when.driftSeverityAtLeast}`);
  }
  if (hits.length > 0) return { required: true, reason: `a person must approve: ${hits.join('; ')}` };
  return { required: false, reason: 'no manualWhen condition holds: approved automatically' };
}

/** Null when `by` may approve; otherwise the refusal message. */
export function approverRefusal(policy: ApprovalPolicy, by: string): string | null {
  if (policy.approvers.includes(by)) return null;
  return `"${by}" is not an approver for this model; allowed: ${policy.approvers.join(', ') || '(nobody listed)'}`;
}

/** What happens when nobody answers before the timeout. */
export function timeoutOutcome(policy: ApprovalPolicy): { approved: boolean; reason: string } {
  const verb = policy.onTimeout === 'approve' ? 'approved' : 'rejected';
  return {
    approved: policy.onTimeout === 'approve',
    reason: `nobody answered within ${formatDuration(policy.timeoutMs)}: ${verb} by the onTimeout policy`,
  };
}
