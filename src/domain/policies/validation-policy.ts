import { z } from 'zod';

/**
 * Data validation policy: what a fresh snapshot must satisfy before it may be trained on.
 * Quality errors stop the cycle (non-retryable `DataValidationFailed`); drift against the
 * champion's reference profile is reported, and stops the cycle only when `drift.failOnDrift`.
 */
export const driftCheckPolicySchema = z
  .object({
    /** Population stability index above this flags a feature as drifted. */
    psiThreshold: z.number().positive().default(0.2),
    /** KS / chi-square p-value below this flags a feature as drifted. */
    alpha: z.number().gt(0).lt(1).default(0.01),
    /** Stop the cycle when any feature drifted (default: report only, since drift is often why we retrain). */
    failOnDrift: z.boolean().default(false),
  })
  .strict();

export const validationPolicySchema = z
  .object({
    /** Fewer training rows than this is an error. */
    minRows: z.number().int().min(1).default(200),
    /** Share of missing values allowed in any one feature column. */
    maxMissingRate: z.number().min(0).max(1).default(0.05),
    /** Per-feature override of maxMissingRate. */
    maxMissingRateByFeature: z.record(z.number().min(0).max(1)).default({}),
    /** Share of values allowed outside a feature's min/max or allowedValues. */
    maxOutOfRangeRate: z.number().min(0).max(1).default(0.01),
    /** Share of rows whose label is missing (or, for classification, not 0/1). */
    maxLabelMissingRate: z.number().min(0).max(1).default(0),
    /** Binary classification: each class must make up at least this share of the rows. */
    minClassRate: z.number().min(0).max(0.5).default(0.01),
    drift: driftCheckPolicySchema.default({}),
  })
  .strict();

export type ValidationPolicy = z.infer<typeof validationPolicySchema>;
export type ValidationPolicyInput = z.input<typeof validationPolicySchema>;
export const DEFAULT_VALIDATION_POLICY: ValidationPolicy = validationPolicySchema.parse({});
