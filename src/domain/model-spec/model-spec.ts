import { z } from 'zod';
import { featureSchemaSchema, labelSpecSchema, Task, taskSchema } from '../features.js';
import { ApprovalPolicySchema } from '../policies/approval-policy.js';
import { gatePolicySchema, metricTask } from '../policies/gate-policy.js';
import { RolloutPolicySchema } from '../policies/rollout-policy.js';
import { monitorPolicySchema } from '../policies/monitor-policy.js';
import { TriggerPolicySchema } from '../policies/trigger-policy.js';
import { validationPolicySchema } from '../policies/validation-policy.js';
import { dataSourceConfigSchema } from './data-source-config.js';
import { servingPolicySchema } from './serving-policy.js';
import { trainerConfigSchema } from './trainer-config.js';

/**
 * One model under continuous training: what it predicts from what, where its data comes
 * from, how it is trained, and every policy the flywheel applies to it.
 */
export const modelSpecSchema = z
  .object({
    /** Used in workflow ids (`flywheel:<id>`) and registry paths: lowercase, digits, "-" and "_". */
    id: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9_-]{0,62}$/,
        'Use 1-63 lowercase letters, digits, "-" or "_", starting with a letter or digit',
      ),
    description: z.string().optional(),
    task: taskSchema,
    features: featureSchemaSchema,
    label: labelSpecSchema,
    dataSource: dataSourceConfigSchema,
    trainer: trainerConfigSchema,
    validation: validationPolicySchema.default({}),
    gate: gatePolicySchema.default({}),
    approval: ApprovalPolicySchema.default({}),
    rollout: RolloutPolicySchema.default({ strategy: 'canary' }),
    trigger: TriggerPolicySchema.default({}),
    /** How the production monitor watches the model once it serves. */
    monitor: monitorPolicySchema.default({}),
    /** How the serving gateway treats out-of-range feature values (see serving-policy.ts). */
    serving: servingPolicySchema.default({}),
  })
  .strict()
  .superRefine((spec, ctx) => {
    if (spec.features.some((f) => f.name === spec.label.name)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['label', 'name'],
        message: `Label "${spec.label.name}" is also listed as a feature; a model cannot use its label as input`,
      });
    }
    // The gate's default primary metric (rocAuc) is a classification metric; a regression spec must name its own.
    if (metricTask[spec.gate.primaryMetric] !== spec.task) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['gate', 'primaryMetric'],
        message: `${spec.gate.primaryMetric} is a ${metricTask[spec.gate.primaryMetric]} metric but task is ${spec.task}${spec.task === Task.regression ? ': use rmse, mae or r2' : ': use rocAuc, accuracy, f1, logLoss, brier or averagePrecision'}`,
      });
    }
    const names = new Set(spec.features.map((f) => f.name));
    spec.gate.slices.forEach((s, i) => {
      if (!names.has(s.column))
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['gate', 'slices', i, 'column'],
          message: `"${s.column}" is not a feature of this model`,
        });
    });
    spec.gate.fairness.forEach((f, i) => {
      if (!names.has(f.groupColumn))
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['gate', 'fairness', i, 'groupColumn'],
          message: `"${f.groupColumn}" is not a feature of this model`,
        });
    });
    for (const [name, method] of Object.entries(spec.validation.drift.methods)) {
      const feature = spec.features.find((f) => f.name === name);
      const path = ['validation', 'drift', 'methods', name];
      if (!feature)
        ctx.addIssue({ code: z.ZodIssueCode.custom, path, message: `"${name}" is not a feature of this model` });
      else if (feature.type === 'categorical' && (method === 'ks' || method === 'wasserstein-normed')) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path,
          message: `${method} compares numbers; "${name}" is categorical: use chi-square, z-test, psi or jensen-shannon`,
        });
      }
    }
    for (const name of Object.keys(spec.validation.maxMissingRateByFeature)) {
      if (!names.has(name))
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['validation', 'maxMissingRateByFeature', name],
          message: `"${name}" is not a feature of this model`,
        });
    }
  });

/** A parsed model spec with every default filled in. This is what travels in workflow payloads. */
export type ModelSpec = z.output<typeof modelSpecSchema>;
/** A model spec as a user writes it (defaults optional). */
export type ModelSpecInput = z.input<typeof modelSpecSchema>;

/** A model spec that does not match the schema; `issues` lists each bad field by path. */
export class ModelSpecError extends Error {
  override name = 'ModelSpecError';
  constructor(
    message: string,
    readonly issues: ReadonlyArray<{ path: string; message: string }>,
    readonly source?: string,
  ) {
    super(message);
  }
}

const formatPath = (path: ReadonlyArray<string | number>): string =>
  path.reduce<string>(
    (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part),
    '',
  ) || '(root)';

/**
 * Parses and validates a model spec (already decoded from YAML/JSON).
 * @param source where it came from (a file path), named in the error message
 * @throws ModelSpecError naming the path of every bad field, e.g.
 *   `gate.minImprovement: Expected number, received string`
 */
export function parseModelSpec(input: unknown, source?: string): ModelSpec {
  const result = modelSpecSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
  const where = source ? ` in ${source}` : '';
  const lines = issues.map((i) => `  ${i.path}: ${i.message}`).join('\n');
  throw new ModelSpecError(
    `Invalid model spec${where} (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines}`,
    issues,
    source,
  );
}
