import { z } from 'zod';
import { modelIdSchema } from '../domain/records/ids.js';

export const ModelParamsSchema = z.object({ id: modelIdSchema });

const featureValue = z.union([z.number(), z.string().max(1_000), z.boolean(), z.null()]);

/** Body of `POST /v1/models/:id/predict`. */
export const PredictBodySchema = z
  .object({
    features: z
      .record(featureValue)
      .refine((f) => Object.keys(f).length <= 1_000, 'at most 1000 features per request'),
    /** Sticky routing: the same key always reaches the same arm at a given weight. */
    requestKey: z.string().min(1).max(200).optional(),
  })
  .strict();
export type PredictBody = z.infer<typeof PredictBodySchema>;

/** Body of `POST /v1/models/:id/feedback`: the ground truth for an earlier prediction. */
export const FeedbackBodySchema = z
  .object({
    requestId: z.string().min(1).max(100),
    /** Class label (0/1, true/false) for classifiers, the observed value for regression. */
    label: z.union([z.number().finite(), z.boolean()]).transform((l) => (typeof l === 'boolean' ? Number(l) : l)),
  })
  .strict();
export type FeedbackBody = z.infer<typeof FeedbackBodySchema>;

/** The `issues` list of a 400 answer: each names the field and what is wrong. */
export function describeZodIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
}
