import { z } from 'zod';

/**
 * Data validation policy: what a fresh snapshot must satisfy before it may be trained on.
 * Every label must be present (and 0/1 for classification): unlabeled rows belong out of
 * the snapshot, not in training.
 * Quality errors stop the cycle (non-retryable `DataValidationFailed`); drift against the
 * champion's reference profile is reported, and stops the cycle only when `drift.failOnDrift`.
 */
/** Per-column drift methods a spec may pick (the ids of src/stats/drift's DriftMethod; a test keeps them equal). */
export const DRIFT_METHOD_IDS = ['ks', 'chi-square', 'z-test', 'psi', 'jensen-shannon', 'wasserstein-normed'] as const;

/** The defaults of alpha and psiThreshold under each compatibility: ours, and Evidently 0.7's. */
const DRIFT_DEFAULTS = {
  default: { alpha: 0.01, psiThreshold: 0.2 },
  evidently: { alpha: 0.05, psiThreshold: 0.1 },
} as const;

export const driftCheckPolicySchema = z
  .object({
    /**
     * PSI at or above this flags a feature as drifted (default 0.2; 0.1 under 'evidently').
     * PSI is never picked by the default selection: it applies to the features `methods`
     * assigns 'psi'.
     */
    psiThreshold: z.number().positive().optional(),
    /** KS / chi-square / z-test p-value below this flags a feature as drifted (default 0.01; 0.05 under 'evidently'). */
    alpha: z.number().gt(0).lt(1).optional(),
    /** The dataset counts as drifted when at least this share of features drifted. */
    datasetDriftShare: z.number().gt(0).max(1).default(0.5),
    /** Stop the cycle when the dataset drifted (see datasetDriftShare); default: report only, since drift is often why we retrain. */
    failOnDrift: z.boolean().default(false),
    /**
     * 'default': the project's documented tests (homogeneity chi-square, decile PSI);
     * 'evidently': Evidently 0.7's methods, scores, thresholds and verdicts, column for column.
     */
    compatibility: z.enum(['default', 'evidently']).default('default'),
    /** Drift method per feature instead of the default selection, e.g. `{ income: psi }`. */
    methods: z.record(z.enum(DRIFT_METHOD_IDS)).default({}),
  })
  .strict()
  // Every key written in one fixed order, so a spec parsed twice serializes the same.
  .transform((p) => ({
    psiThreshold: p.psiThreshold ?? DRIFT_DEFAULTS[p.compatibility].psiThreshold,
    alpha: p.alpha ?? DRIFT_DEFAULTS[p.compatibility].alpha,
    datasetDriftShare: p.datasetDriftShare,
    failOnDrift: p.failOnDrift,
    compatibility: p.compatibility,
    methods: p.methods,
  }));

/**
 * The drift settings the production monitor receives from a spec's `validation.drift` (the
 * test settings, without the cycle-only datasetDriftShare and failOnDrift).
 */
export const monitorDriftSettingsSchema = z
  .object({
    alpha: z.number().gt(0).lt(1).optional(),
    psiThreshold: z.number().positive().optional(),
    compatibility: z.enum(['default', 'evidently']).optional(),
    methods: z.record(z.enum(DRIFT_METHOD_IDS)).optional(),
  })
  .strict();
export type MonitorDriftSettings = z.infer<typeof monitorDriftSettingsSchema>;

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
