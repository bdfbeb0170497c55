import { z } from 'zod';
import { ApprovalPolicySchema } from './policies/approval-policy.js';
import { RolloutPolicySchema } from './policies/rollout-policy.js';
import { TriggerKindSchema, TriggerPolicySchema } from './policies/trigger-policy.js';
import { CycleOutcome, CycleStep } from './flywheel/cycle-report.js';

/**
 * Payloads of every signal and update the flywheel workflows accept. Signals cannot
 * answer, so a payload failing these schemas is dropped, logged and counted in `status`;
 * updates run the same schemas in their validators and refuse with the message.
 */

const who = z.string().trim().min(1, 'say who is acting (a username or e-mail)').max(200);
const text = (max: number) => z.string().max(max);
/** Alertmanager-style severity labels, mapped to a 0..1 score when no number is given. */
export const SEVERITY_LABEL_SCORE = { info: 0.3, warning: 0.6, critical: 0.9 } as const;

const alertBase = {
  source: text(200).optional(),
  reason: text(2000).optional(),
  fingerprint: text(200).optional(),
  /** When the alert was raised (ISO); informational — the flywheel uses its own clock. */
  at: z.string().datetime({ offset: true }).optional(),
  kind: z.string().optional(),
};

/** The registry version an alert observed (the champion the monitor judged); the flywheel ignores alerts about a version that no longer serves. */
const observedVersion = z.number().int().positive().optional();

/**
 * Evidence of harm the production monitor computes for an input-drift alert (see
 * `trigger.harm`): null is "not known", never zero. Alerts without it (external ones) are
 * judged by the rule for unknown importance.
 */
export const DriftEvidenceSchema = z.object({
  /** Share (0..1) of the champion's recorded feature importance held by the drifted features. */
  importantShare: z.number().min(0).max(1).nullable().default(null),
  /** Drop of the primary metric measured on labelled production rows (baseline − live). */
  measuredDrop: z.number().finite().nullable().default(null),
  /** Drop of the primary metric estimated without labels (CBPE). */
  estimatedDrop: z.number().finite().nullable().default(null),
});
export type DriftEvidence = z.infer<typeof DriftEvidenceSchema>;

export const DriftAlertSchema = z.object({
  ...alertBase,
  observedVersion,
  evidence: DriftEvidenceSchema.optional(),
  /** Drift severity, 0..1 (compared with `trigger.floors.drift`). */
  score: z.number().min(0).max(1).optional(),
  severity: z.enum(['info', 'warning', 'critical']).optional(),
  features: z.array(z.string().max(200)).max(200).optional(),
});
export type DriftAlert = z.infer<typeof DriftAlertSchema>;

export const PerformanceReportSchema = z.object({
  ...alertBase,
  observedVersion,
  /** Observed degradation of the watched metric (e.g. 0.04 = 4 points), compared with `trigger.floors.performance`. */
  score: z.number().optional(),
  severity: z.enum(['info', 'warning', 'critical']).optional(),
  metric: text(100).optional(),
  value: z.number().optional(),
  baseline: z.number().optional(),
  /** True when `value` was estimated without labels (CBPE on calibrated probabilities), not measured on labels. */
  estimated: z.boolean().optional(),
});
export type PerformanceReport = z.infer<typeof PerformanceReportSchema>;

export const NewDataSchema = z.object({
  ...alertBase,
  /** New labelled rows since the last snapshot, compared with `trigger.floors.newData`. */
  score: z.number().int().min(0).optional(),
  rows: z.number().int().min(0).optional(),
});
export type NewData = z.infer<typeof NewDataSchema>;

export const RetrainRequestSchema = z.object({
  ...alertBase,
  requestedBy: who.optional(),
  /** Skip cooldown and budget (still one cycle at a time). */
  force: z.boolean().default(false),
  /** Set by the scheduledRetrain workflow: the trigger counts as `schedule`, not `manual`. */
  scheduleId: text(200).optional(),
});
export type RetrainRequest = z.infer<typeof RetrainRequestSchema>;

/**
 * `alertResolved`: the alert with this fingerprint stopped firing (Alertmanager sent it as
 * resolved). It retracts the triggers it added to the pending batch, unless a cycle has
 * already started for them.
 */
export const AlertResolvedSchema = z.object({
  fingerprint: z.string().min(1, 'name the alert (its fingerprint)').max(200),
  source: text(200).optional(),
  reason: text(2000).optional(),
  /** When the alert resolved (ISO): informational. */
  at: z.string().datetime({ offset: true }).optional(),
});
export type AlertResolved = z.infer<typeof AlertResolvedSchema>;

export const PauseSchema = z.object({ by: who.optional(), reason: text(500).optional() }).default({});
export type PauseRequest = z.infer<typeof PauseSchema>;

/** Replaces the listed policies (each parsed with its defaults) and/or the whole spec. */
export const UpdatePolicySchema = z
  .object({
    by: who.optional(),
    reason: text(500).optional(),
    trigger: TriggerPolicySchema.optional(),
    approval: ApprovalPolicySchema.optional(),
    rollout: RolloutPolicySchema.optional(),
    /** A full model spec; parsed with the model spec schema by the receiver. */
    spec: z.record(z.unknown()).optional(),
    /**
     * true: each section is laid over the one in force (fields left out keep their values;
     * see mergePolicySections). Absent or false: each section replaces the one in force,
     * fields left out taking their defaults (the original meaning, which recorded histories keep).
     */
    merge: z.boolean().optional(),
  })
  .refine((u) => u.trigger || u.approval || u.rollout || u.spec, {
    message: 'updatePolicy needs at least one of trigger, approval, rollout or spec',
  });
export type UpdatePolicy = z.infer<typeof UpdatePolicySchema>;

export const ApprovalDecisionSchema = z.object({
  /** The cycle workflow id, e.g. `flywheel:churn:cycle:3`, as shown by `status`. */
  cycleId: z.string().min(1, 'name the cycle (its workflow id, as shown by status)'),
  by: who,
  comment: text(2000).optional(),
});
export type ApprovalDecision = z.infer<typeof ApprovalDecisionSchema>;

export const RolloutCommandSchema = z.object({ by: who, reason: text(1000).optional() });
export type RolloutCommand = z.infer<typeof RolloutCommandSchema>;

/**
 * Who sends a cycle report: the cycle's workflow id and the run id of its first run. The
 * flywheel accepts a report only when both match the child it started (it recorded the
 * run id from `startChild`), so a signal typed by hand cannot end or steer a cycle.
 */
const cycleSender = {
  workflowId: z.string().min(1).max(300),
  runId: z.string().min(1).max(100),
  cycle: z.number().int().min(1),
};
const version = z.number().int().min(1);
const enumOf = <T extends Record<string, string>>(o: T) =>
  z.enum(Object.values(o) as [T[keyof T], ...Array<T[keyof T]>]);

/** `cycleProgress`: the step a training cycle has reached (for `status`). */
export const CycleProgressSchema = z.object({
  ...cycleSender,
  step: enumOf(CycleStep),
  candidateVersion: version.optional(),
  /** The champion the cycle read from the registry when it started; null for the first model. */
  championVersion: version.nullable().optional(),
});
export type CycleProgressPayload = z.infer<typeof CycleProgressSchema>;

/** `cycleFinished`: the summary a training cycle sends as it ends. */
export const CycleFinishedSchema = z.object({
  ...cycleSender,
  outcome: enumOf(CycleOutcome),
  /** Cut, never refused: a genuine report with a long failure message must still end its cycle. */
  reason: z.string().transform((s) => s.slice(0, 4000)),
  trigger: TriggerKindSchema,
  startedAt: z.number().finite(),
  endedAt: z.number().finite(),
  candidateVersion: version.optional(),
  resumedFromCheckpoint: z.boolean().optional(),
  /** The champion the cycle read from the registry when it started (what progress signals carried before); null for the first model. */
  championVersion: version.nullable().optional(),
});
export type CycleFinishedPayload = z.infer<typeof CycleFinishedSchema>;

/**
 * `reportBySignal`, flywheel → cycle: the flywheel run that started the cycle is about to
 * continue as new, so the cycle's result will not reach the next run; the cycle sends its
 * `cycleFinished` report by signal when it ends. Names the run that asked (for the log).
 */
export const ReportBySignalSchema = z.object({ flywheelRunId: z.string().min(1).max(200) });
export type ReportBySignalPayload = z.infer<typeof ReportBySignalSchema>;

/** Formats a zod error as `field: message; …` for logs and update refusals. */
export function describePayloadError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ');
}
