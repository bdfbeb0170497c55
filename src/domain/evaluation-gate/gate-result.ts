import { z } from 'zod';

export const GateDecision = { promote: 'promote', reject: 'reject' } as const;
export type GateDecision = (typeof GateDecision)[keyof typeof GateDecision];

/** `skipped` means the check does not apply (e.g. no champion to compare with); it never blocks. */
export const CheckStatus = { passed: 'passed', failed: 'failed', skipped: 'skipped' } as const;
export type CheckStatus = (typeof CheckStatus)[keyof typeof CheckStatus];

/** Stable codes a user can search for; the message says the numbers. */
export const ReasonCode = {
  primaryImprovement: 'primary_improvement',
  significance: 'significance',
  guardMetric: 'guard_metric',
  absoluteFloor: 'absolute_floor',
  sliceDrop: 'slice_drop',
  demographicParity: 'demographic_parity',
  equalOpportunity: 'equal_opportunity',
  modelSize: 'model_size',
  predictionLatency: 'prediction_latency',
  missingMetric: 'missing_metric',
  /** The champion cannot be loaded (tampered or missing artifact): nothing to compare with. */
  championUnservable: 'champion_unservable',
} as const;
export type ReasonCode = (typeof ReasonCode)[keyof typeof ReasonCode];

const codes = Object.values(ReasonCode) as [ReasonCode, ...ReasonCode[]];

export const gateReasonSchema = z.object({
  code: z.enum(codes),
  status: z.enum(['passed', 'failed', 'skipped']),
  /** Convenience: false only when status is `failed`. */
  passed: z.boolean(),
  message: z.string(),
  /** What the check judged, e.g. `rocAuc` or `slice region=north`. */
  subject: z.string().optional(),
  observed: z.number().nullable(),
  limit: z.number().nullable(),
});
export type GateReason = z.infer<typeof gateReasonSchema>;

export const significanceResultSchema = z.object({
  test: z.enum(['pairedBootstrap', 'mcnemar', 'delong']),
  /** One-sided p-value for "challenger better than champion" on the judged metric. */
  pValue: z.number().min(0).max(1),
  /** Estimated gain (challenger − champion, in the metric's better direction). */
  estimate: z.number().optional(),
  ciLow: z.number().optional(),
  ciHigh: z.number().optional(),
});
export type SignificanceResult = z.infer<typeof significanceResultSchema>;

export const gateVerdictSchema = z.object({
  decision: z.enum(['promote', 'reject']),
  reasons: z.array(gateReasonSchema),
});
export type GateVerdict = z.infer<typeof gateVerdictSchema>;
