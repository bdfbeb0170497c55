import { z } from 'zod';

/**
 * Data validation policy: what a fresh snapshot must satisfy before it may be trained on.
 * Every label must be present (and 0/1 for classification): unlabeled rows belong out of
 * the snapshot, not in training.
 * Quality errors stop the cycle (non-retryable `DataValidationFailed`); drift against the
 * champion's reference profile is reported, and stops the cycle only when `drift.failOnDrift`.
 */
export const driftCheckPolicySchema = z
  .object({
    /** Population stability index at or above this flags a feature as drifted (also read by the production monitor). */
    psiThreshold: z.number().positive().default(0.2),
    /** KS / chi-square / z-test p-value below this flags a feature as drifted. */
    alpha: z.number().gt(0).lt(1).default(0.01),
    /** The dataset counts as drifted when at least this share of features drifted. */
    datasetDriftShare: z.number().gt(0).max(1).default(0.5),
    /** Stop the cycle when the dataset drifted (see datasetDriftShare); default: report only, since drift is often why we retrain. */
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
    /** Binary classification: each class must make up at least this share of the rows. */
    minClassRate: z.number().min(0).max(0.5).default(0.01),
    drift: driftCheckPolicySchema.default({}),
  })
  .strict();

export type ValidationPolicy = z.infer<typeof validationPolicySchema>;
export type ValidationPolicyInput = z.input<typeof validationPolicySchema>;
export const DEFAULT_VALIDATION_POLICY: ValidationPolicy = validationPolicySchema.parse({});
