import { z } from 'zod';

/**
 * Evaluation gate policy: what a challenger must show on the held-out rows before it
 * may become a candidate for production. Every number here is reported back by the gate
 * next to the value it observed, so a rejection always says which limit and by how much.
 */

/** Metrics the gate can judge. Classification metrics need probabilities; regression ones predictions. */
export const GateMetric = {
  rocAuc: 'rocAuc',
  accuracy: 'accuracy',
  f1: 'f1',
  logLoss: 'logLoss',
  brier: 'brier',
  averagePrecision: 'averagePrecision',
  mae: 'mae',
  rmse: 'rmse',
  r2: 'r2',
} as const;
export type GateMetric = (typeof GateMetric)[keyof typeof GateMetric];

export const MetricDirection = { higherIsBetter: 'higherIsBetter', lowerIsBetter: 'lowerIsBetter' } as const;
export type MetricDirection = (typeof MetricDirection)[keyof typeof MetricDirection];

/** Which way is "better" for each metric; every comparison in the gate goes through this. */
export const metricDirection: Readonly<Record<GateMetric, MetricDirection>> = {
  rocAuc: 'higherIsBetter',
  accuracy: 'higherIsBetter',
  f1: 'higherIsBetter',
  logLoss: 'lowerIsBetter',
  brier: 'lowerIsBetter',
  averagePrecision: 'higherIsBetter',
  mae: 'lowerIsBetter',
  rmse: 'lowerIsBetter',
  r2: 'higherIsBetter',
};

/** The task each metric belongs to, so a spec can refuse `rmse` on a classifier. */
export const metricTask: Readonly<Record<GateMetric, 'binaryClassification' | 'regression'>> = {
  rocAuc: 'binaryClassification',
  accuracy: 'binaryClassification',
  f1: 'binaryClassification',
  logLoss: 'binaryClassification',
  brier: 'binaryClassification',
  averagePrecision: 'binaryClassification',
  mae: 'regression',
  rmse: 'regression',
  r2: 'regression',
};

export const SignificanceTest = {
  none: 'none',
  pairedBootstrap: 'pairedBootstrap',
  mcnemar: 'mcnemar',
  delong: 'delong',
} as const;
export type SignificanceTest = (typeof SignificanceTest)[keyof typeof SignificanceTest];

const metricNames = Object.values(GateMetric) as [GateMetric, ...GateMetric[]];
export const gateMetricSchema = z.enum(metricNames, {
  errorMap: () => ({ message: `metric must be one of ${metricNames.join(', ')}` }),
});

const testNames = Object.values(SignificanceTest) as [SignificanceTest, ...SignificanceTest[]];

export const significancePolicySchema = z
  .object({
    /** `mcnemar` judges accuracy, `delong` judges rocAuc, `pairedBootstrap` judges any metric. */
    test: z.enum(testNames).default('pairedBootstrap'),
    /** The improvement must be significant at this level (one-sided p-value < alpha). */
    alpha: z.number().gt(0).lt(1).default(0.05),
    /** Resamples for the paired bootstrap. */
    bootstrapResamples: z.number().int().min(100).max(100_000).default(1000),
    /** Seed for the bootstrap so a re-run of an evaluation gives the same p-value. */
    seed: z.number().int().default(42),
  })
  .strict();

export const guardMetricSchema = z
  .object({
    metric: gateMetricSchema,
    /** The challenger may be worse than the champion on this metric by at most this much (absolute). */
    tolerance: z.number().min(0),
  })
  .strict();

export const sliceLimitSchema = z
  .object({
    /** A categorical feature (or any column) whose values define the slices. */
    column: z.string().min(1),
    /** The primary metric may drop by at most this much (absolute) in any one slice. */
    maxDrop: z.number().min(0),
    /** Slices with fewer held-out rows than this are reported but not judged (too noisy). */
    minRows: z.number().int().min(1).default(30),
  })
  .strict();

export const fairnessLimitSchema = z
  .object({
    /** Column holding the protected group of each row. */
    groupColumn: z.string().min(1),
    /** Max difference between groups in positive-prediction rate. */
    maxDemographicParityDiff: z.number().min(0).max(1).optional(),
    /** Max difference between groups in true-positive rate. */
    maxEqualOpportunityDiff: z.number().min(0).max(1).optional(),
  })
  .strict()
  .refine((f) => f.maxDemographicParityDiff !== undefined || f.maxEqualOpportunityDiff !== undefined, {
    message: 'a fairness limit needs maxDemographicParityDiff or maxEqualOpportunityDiff',
  });

export const gatePolicySchema = z
  .object({
    primaryMetric: gateMetricSchema.default('rocAuc'),
    /** Required improvement over the champion on the primary metric, absolute, in its "better" direction. */
    minImprovement: z.number().min(0).default(0.005),
    significance: significancePolicySchema.default({}),
    guards: z.array(guardMetricSchema).default([]),
    /**
     * Worst acceptable absolute value per metric (a minimum for higher-is-better metrics, a
     * maximum for lower-is-better ones). The only bar for the first model of a model id;
     * every later challenger must meet them too.
     */
    absoluteFloors: z.record(gateMetricSchema, z.number()).default({}),
    slices: z.array(sliceLimitSchema).default([]),
    fairness: z.array(fairnessLimitSchema).default([]),
    maxModelSizeBytes: z
      .number()
      .int()
      .positive()
      .default(50 * 1024 * 1024),
    /** Measured p95 of a single-row prediction, in milliseconds. */
    maxPredictionLatencyP95Ms: z.number().positive().default(20),
  })
  .strict()
  .superRefine((p, ctx) => {
    const task = metricTask[p.primaryMetric];
    const check = (metric: GateMetric, path: (string | number)[]) => {
      if (metricTask[metric] !== task) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path,
          message: `metric ${metric} is a ${metricTask[metric]} metric but the primary metric ${p.primaryMetric} is ${task}; use metrics of one task`,
        });
      }
    };
    p.guards.forEach((g, i) => check(g.metric, ['guards', i, 'metric']));
    for (const m of Object.keys(p.absoluteFloors) as GateMetric[]) check(m, ['absoluteFloors', m]);
    if (p.significance.test === 'mcnemar' && p.primaryMetric !== 'accuracy') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['significance', 'test'],
        message: 'mcnemar judges accuracy: set primaryMetric to accuracy or use pairedBootstrap',
      });
    }
    if (p.significance.test === 'delong' && p.primaryMetric !== 'rocAuc') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['significance', 'test'],
        message: 'delong judges rocAuc: set primaryMetric to rocAuc or use pairedBootstrap',
      });
    }
    if (p.fairness.length > 0 && task !== 'binaryClassification') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['fairness'],
        message: 'fairness limits apply to binary classification only',
      });
    }
  });

/** Input shape (defaults optional), e.g. as written in a model spec. */
export type GatePolicyInput = z.input<typeof gatePolicySchema>;
/** Parsed policy with every default filled in. */
export type GatePolicy = z.output<typeof gatePolicySchema>;
export type GuardMetric = z.output<typeof guardMetricSchema>;
export type SliceLimit = z.output<typeof sliceLimitSchema>;
export type FairnessLimit = z.output<typeof fairnessLimitSchema>;

/** True when `a` is strictly better than `b` on `metric`. */
export const isBetter = (metric: GateMetric, a: number, b: number): boolean =>
  metricDirection[metric] === 'higherIsBetter' ? a > b : a < b;

/** Signed gain of `challenger` over `champion`: positive means the challenger is better. */
export const metricGain = (metric: GateMetric, challenger: number, champion: number): number =>
  metricDirection[metric] === 'higherIsBetter' ? challenger - champion : champion - challenger;
