import { z } from 'zod';

/**
 * When an input-drift alert is likely to hurt the champion, and so may start a cycle
 * (`trigger.harm` in the model spec). Drift alone is not harm: a shift in a feature the
 * model barely uses (or a seasonal shift it handles) costs a retrain and buys nothing.
 * Drift counts as harmful when one of three pieces of evidence says so:
 *
 * - the drifted features hold at least `minImportantDriftShare` of the champion's
 *   importance (recorded at training time: permutation importance on held-out rows, or
 *   coefficients), or
 * - the measured drop of the primary metric on labelled production rows reaches
 *   `minMeasuredDrop`, or
 * - the label-free estimated drop (CBPE) reaches `minEstimatedDrop`.
 *
 * Otherwise the alert is recorded as `benign` with these numbers and starts nothing.
 * Performance, schedule and manual triggers are not subject to this rule.
 */
export const HarmPolicySchema = z
  .object({
    /** false: every drift alert above the drift floor counts, as before this rule existed. */
    enabled: z.boolean().default(true),
    /** Share (0..1) of the champion's total importance held by the drifted features that makes drift harmful. */
    minImportantDriftShare: z.number().min(0).max(1).default(0.1),
    /** Measured drop of the primary metric on labels (0.02 = 2 points) that makes drift harmful. */
    minMeasuredDrop: z.number().min(0).default(0.02),
    /** Estimated (label-free, CBPE) drop of the primary metric that makes drift harmful. */
    minEstimatedDrop: z.number().min(0).default(0.02),
  })
  .strict();

export type HarmPolicy = z.infer<typeof HarmPolicySchema>;
export type HarmPolicyInput = z.input<typeof HarmPolicySchema>;

export const DEFAULT_HARM_POLICY: HarmPolicy = HarmPolicySchema.parse({});
