import { z } from 'zod';

/**
 * Feature schema of a model: what columns a dataset must have, their types and the
 * values a data-quality check accepts. Shared by the model spec, the data sources'
 * schema check, the trainers' encoders and the model format.
 */
export const FeatureKind = { numeric: 'numeric', categorical: 'categorical' } as const;
export type FeatureKind = (typeof FeatureKind)[keyof typeof FeatureKind];

const featureName = z
  .string()
  .min(1, 'Feature name must not be empty')
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'Use letters, digits, "_", "." or "-" (starting with a letter or "_")');

export const numericFeatureSchema = z
  .object({
    name: featureName,
    type: z.literal(FeatureKind.numeric),
    /** A missing required column fails the snapshot; missing values inside it are a quality matter. */
    required: z.boolean().default(true),
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
    description: z.string().optional(),
  })
  .strict();

export const categoricalFeatureSchema = z
  .object({
    name: featureName,
    type: z.literal(FeatureKind.categorical),
    required: z.boolean().default(true),
    /** Values a quality check accepts; training one-hot encodes what it sees in the data. */
    allowedValues: z.array(z.string()).min(1, 'List at least one allowed value, or omit the field').optional(),
    description: z.string().optional(),
  })
  .strict();

export const featureSpecSchema = z
  .discriminatedUnion('type', [numericFeatureSchema, categoricalFeatureSchema])
  .superRefine((f, ctx) => {
    if (f.type === FeatureKind.numeric && f.min !== undefined && f.max !== undefined && f.min > f.max) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['min'], message: 'min must be less than or equal to max' });
    }
  });
export type FeatureSpec = z.infer<typeof featureSpecSchema>;
export type NumericFeatureSpec = Extract<FeatureSpec, { type: 'numeric' }>;
export type CategoricalFeatureSpec = Extract<FeatureSpec, { type: 'categorical' }>;

export const featureSchemaSchema = z
  .array(featureSpecSchema)
  .min(1, 'Declare at least one feature')
  .superRefine((features, ctx) => {
    const seen = new Set<string>();
    features.forEach((f, i) => {
      if (seen.has(f.name)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i, 'name'], message: `Duplicate feature name "${f.name}"` });
      }
      seen.add(f.name);
    });
  });
export type FeatureSchema = z.infer<typeof featureSchemaSchema>;

/** The label column. Binary classification labels are 0/1 (true/false and "yes"/"no" are read as 1/0). */
export const labelSpecSchema = z
  .object({
    name: featureName,
    description: z.string().optional(),
  })
  .strict();
export type LabelSpec = z.infer<typeof labelSpecSchema>;

export const Task = { binaryClassification: 'binaryClassification', regression: 'regression' } as const;
export type Task = (typeof Task)[keyof typeof Task];
export const taskSchema = z.enum([Task.binaryClassification, Task.regression]);
