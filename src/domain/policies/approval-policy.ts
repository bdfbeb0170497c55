import { z } from 'zod';
import { DurationSchema } from '../duration.js';

export const ApprovalMode = { auto: 'auto', manual: 'manual', manualWhen: 'manualWhen' } as const;
export type ApprovalMode = (typeof ApprovalMode)[keyof typeof ApprovalMode];

export const ApprovalTimeoutAction = { reject: 'reject', approve: 'approve' } as const;
export type ApprovalTimeoutAction = (typeof ApprovalTimeoutAction)[keyof typeof ApprovalTimeoutAction];

/**
 * For `manualWhen`: a human must approve if ANY listed condition holds, otherwise the
 * candidate is approved automatically.
 */
export const ManualWhenSchema = z
  .object({
    /** Primary-metric improvement over the champion below this (e.g. 0.01) needs a human. */
    improvementBelow: z.number().optional(),
    /** A drift trigger with severity at least this (0..1) needs a human. */
    driftSeverityAtLeast: z.number().min(0).optional(),
    /** There is no champion yet (first model). */
    firstModel: z.boolean().optional(),
  })
  .strict()
  .refine((w) => Object.values(w).some((v) => v !== undefined), {
    message: 'manualWhen needs at least one condition: improvementBelow, driftSeverityAtLeast or firstModel',
  });

export const ApprovalPolicySchema = z
  .object({
    mode: z.enum(['auto', 'manual', 'manualWhen']).default('auto'),
    when: ManualWhenSchema.optional(),
    /** Who may approve or reject; compared exactly (e.g. e-mail or username). */
    approvers: z.array(z.string().min(1)).default([]),
    timeoutMs: DurationSchema.default('72h'),
    onTimeout: z.enum(['reject', 'approve']).default('reject'),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.mode === 'manualWhen' && !p.when) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['when'],
        message: 'mode manualWhen needs a `when` condition',
      });
    }
    if (p.mode !== 'auto' && p.approvers.length === 0) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['approvers'],
        message: `mode ${p.mode} needs at least one approver`,
      });
    }
  });

export type ApprovalPolicy = z.infer<typeof ApprovalPolicySchema>;
export type ApprovalPolicyInput = z.input<typeof ApprovalPolicySchema>;

export const DEFAULT_APPROVAL_POLICY: ApprovalPolicy = ApprovalPolicySchema.parse({});
