import { describe, expect, it } from 'vitest';
import {
  approvalRequirement,
  approverRefusal,
  primaryImprovement,
  timeoutOutcome,
} from '../../../src/domain/approval/approval-rules.js';
import { ApprovalPolicySchema, type ApprovalPolicyInput } from '../../../src/domain/policies/approval-policy.js';

const policy = (p: ApprovalPolicyInput) => ApprovalPolicySchema.parse(p);
const ctx = { primaryMetric: 'rocAuc' as const, challenger: { rocAuc: 0.905 }, champion: { rocAuc: 0.9 } };

describe('approval policy schema', () => {
  it('defaults to auto with a 72h timeout that rejects', () => {
    expect(ApprovalPolicySchema.parse({})).toEqual({
      mode: 'auto',
      approvers: [],
      timeoutMs: 72 * 3_600_000,
      onTimeout: 'reject',
    });
  });
  it('refuses manual modes without approvers and manualWhen without a condition, naming the field', () => {
    const r = ApprovalPolicySchema.safeParse({ mode: 'manualWhen' });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'when: mode manualWhen needs a `when` condition',
      'approvers: mode manualWhen needs at least one approver',
    ]);
    expect(
      ApprovalPolicySchema.safeParse({ mode: 'manualWhen', when: {}, approvers: ['a'] }).error?.issues[0]?.message,
    ).toContain('at least one condition');
  });
});

describe('approvalRequirement', () => {
  it('auto never asks and manual always asks', () => {
    expect(approvalRequirement(policy({}), ctx)).toEqual({ required: false, reason: 'approval policy is auto' });
    expect(approvalRequirement(policy({ mode: 'manual', approvers: ['a'] }), ctx).required).toBe(true);
  });
  it('manualWhen asks when the improvement is small, and says by how much', () => {
    const p = policy({ mode: 'manualWhen', when: { improvementBelow: 0.01 }, approvers: ['a'] });
    const r = approvalRequirement(p, ctx);
    expect(r).toEqual({ required: true, reason: 'a person must approve: rocAuc improvement 0.005 is below 0.01' });
    expect(approvalRequirement(p, { ...ctx, challenger: { rocAuc: 0.93 } }).required).toBe(false);
  });
  it('manualWhen asks on high drift severity or a first model', () => {
    const p = policy({ mode: 'manualWhen', when: { driftSeverityAtLeast: 0.7, firstModel: true }, approvers: ['a'] });
    expect(approvalRequirement(p, { ...ctx, driftSeverity: 0.8 }).reason).toBe(
      'a person must approve: drift severity 0.8 is at least 0.7',
    );
    expect(approvalRequirement(p, { ...ctx, driftSeverity: 0.5 }).required).toBe(false);
    expect(approvalRequirement(p, { ...ctx, champion: null }).reason).toBe(
      'a person must approve: there is no champion yet',
    );
  });
  it("measures improvement in the metric's better direction", () => {
    expect(
      primaryImprovement({ primaryMetric: 'logLoss', challenger: { logLoss: 0.3 }, champion: { logLoss: 0.35 } }),
    ).toBeCloseTo(0.05);
    expect(primaryImprovement({ primaryMetric: 'rocAuc', challenger: { rocAuc: 0.8 }, champion: null })).toBeNull();
  });
});

describe('approvers and timeout', () => {
  const p = policy({ mode: 'manual', approvers: ['ana@example.com'], timeoutMs: '24h', onTimeout: 'approve' });
  it('allows only the allow-list', () => {
    expect(approverRefusal(p, 'ana@example.com')).toBeNull();
    expect(approverRefusal(p, 'Ana@example.com')).toBe(
      '"Ana@example.com" is not an approver for this model; allowed: ana@example.com',
    );
  });
  it('applies onTimeout with a reason', () => {
    expect(timeoutOutcome(p)).toEqual({
      approved: true,
      reason: 'nobody answered within 1d: approved by the onTimeout policy',
    });
  });
});
