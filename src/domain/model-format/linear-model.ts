import { z } from 'zod';
import { taskSchema } from '../features.js';

/**
 * The JSON model format every trainer writes and the gate and gateway score
 * (`ct-flywheel/linear-model@1`). Documented in ./README.md; the scikit-learn example
 * in examples/python-sklearn writes the same shape.
 */
export const LINEAR_MODEL_FORMAT = 'ct-flywheel/linear-model@1';

const finite = z.number().finite();

/** Numeric input x contributes `weight * (x - mean) / std`; a missing x contributes 0 (mean imputation). */
export const numericTermSchema = z
  .object({
    name: z.string().min(1),
    kind: z.literal('numeric'),
    mean: finite,
    std: finite.positive('std must be > 0 (constant columns use std 1)'),
    weight: finite,
  })
  .strict();

/** One-hot: value categories[i] contributes weights[i]; unseen or missing values contribute 0. */
export const categoricalTermSchema = z
  .object({
    name: z.string().min(1),
    kind: z.literal('categorical'),
    categories: z.array(z.string()),
    weights: z.array(finite),
  })
  .strict();

export const linearModelSchema = z
  .object({
    format: z.literal(LINEAR_MODEL_FORMAT),
    task: taskSchema,
    label: z.string().min(1),
    features: z.array(z.discriminatedUnion('kind', [numericTermSchema, categoricalTermSchema])).min(1),
    intercept: finite,
    /** Binary classification: predict 1 when probability >= labelThreshold (default 0.5). */
    labelThreshold: z.number().min(0).max(1).optional(),
    trainedAt: z.string().optional(),
    metadata: z.record(z.unknown()).default({}),
  })
  .strict()
  .superRefine((m, ctx) => {
    m.features.forEach((f, i) => {
      if (f.kind !== 'categorical') return;
      if (f.categories.length !== f.weights.length) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['features', i, 'weights'],
          message: 'categories and weights must have the same length',
        });
      }
      if (new Set(f.categories).size !== f.categories.length) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['features', i, 'categories'],
          message: 'categories must be unique',
        });
      }
    });
  });

export type NumericTerm = z.infer<typeof numericTermSchema>;
export type CategoricalTerm = z.infer<typeof categoricalTermSchema>;
export type LinearModel = z.infer<typeof linearModelSchema>;

/** A model artifact that is not valid `ct-flywheel/linear-model@1` JSON. */
export class ModelFormatError extends Error {
  override name = 'ModelFormatError';
}

/**
 * Parses a model artifact (JSON text or already-parsed value) and checks it against the
 * format. Throws ModelFormatError naming each bad field.
 */
export function parseLinearModel(input: string | unknown): LinearModel {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (err) {
      throw new ModelFormatError(`Model artifact is not JSON: ${(err as Error).message}`);
    }
  }
  const result = linearModelSchema.safeParse(value);
  if (!result.success) {
    const details = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ModelFormatError(`Model artifact is not ${LINEAR_MODEL_FORMAT}: ${details}`);
  }
  return result.data;
}

/** Canonical serialization, so the same model always has the same bytes (and sha256). */
export function serializeLinearModel(model: LinearModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}
