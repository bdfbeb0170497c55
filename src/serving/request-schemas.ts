import { z } from 'zod';
import { quoteValue, type FieldIssue } from '../domain/model-spec/request-checks.js';
import { modelIdSchema } from '../domain/records/ids.js';
import type { FeatureValue } from '../domain/records/prediction-log-entry.js';

export const ModelParamsSchema = z.object({ id: modelIdSchema });

/** Limits of a predict body (shared with the hot path's shortcut, fast-request-checks.ts). */
export const MAX_FEATURES = 1_000;
export const MAX_STRING_FEATURE = 1_000;
export const MAX_REQUEST_KEY = 200;

/**
 * One feature value on the wire. JSON turns 1e999 into Infinity: refused here, for every
 * feature, so no non-finite number reaches a model or the log (where it would become null).
 */
const featureValue = z.unknown().superRefine((value, ctx) => {
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `expected a finite number, got ${quoteValue(value)} (JSON numbers beyond ±1.8e308 overflow)`,
      });
    return;
  }
  if (typeof value === 'string') {
    if (value.length > MAX_STRING_FEATURE)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `a string feature is at most ${MAX_STRING_FEATURE} characters, got ${value.length}`,
      });
    return;
  }
  ctx.addIssue({
    code: z.ZodIssueCode.custom,
    message: `expected a number, string, boolean or null, got ${Array.isArray(value) ? 'an array' : typeof value}`,
  });
}) as z.ZodType<FeatureValue, z.ZodTypeDef, unknown>; // superRefine keeps `unknown`; the checks above admit exactly FeatureValue

/** Body of `POST /v1/models/:id/predict`. */
export const PredictBodySchema = z
  .object({
    features: z
      .record(featureValue)
      .refine((f) => Object.keys(f).length <= MAX_FEATURES, `at most ${MAX_FEATURES} features per request`),
    /** Sticky routing: the same key always reaches the same arm at a given weight. */
    requestKey: z.string().min(1).max(MAX_REQUEST_KEY).optional(),
  })
  .strict();
export type PredictBody = z.infer<typeof PredictBodySchema>;

/** Body of `POST /v1/models/:id/feedback`: the ground truth for an earlier prediction. */
export const FeedbackBodySchema = z
  .object({
    requestId: z.string().min(1).max(100),
    /** Class label (0/1, true/false) for classifiers, the observed value for regression. */
    label: z
      .union([z.number().finite(), z.boolean()], {
        errorMap: () => ({ message: 'expected a finite number (0/1 or true/false for a classifier)' }),
      })
      .transform((l) => (typeof l === 'boolean' ? Number(l) : l)),
  })
  .strict();
export type FeedbackBody = z.infer<typeof FeedbackBodySchema>;

/** The `issues` list of a 400 answer: each names the field and what is wrong. */
export function describeZodIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
}

/**
 * Every refusal the gateway sends has this shape: a machine-readable `error`, the `field`
 * at fault (when one is), a `message` a person can act on, and all `issues` when several.
 */
export interface Refusal {
  error: string;
  field?: string;
  message: string;
  issues?: Array<{ path: string; message: string }>;
}

/** A refusal from field issues whose messages already start with their field. */
export function refusalOf(error: string, issues: readonly FieldIssue[]): Refusal {
  const first = issues[0];
  return {
    error,
    ...(first ? { field: first.field } : {}),
    message: issues.map((i) => i.message).join('; '),
    issues: issues.map((i) => ({ path: i.field, message: i.message })),
  };
}

/** A refusal from a zod failure of a request body, with what a good body looks like. */
export function refusalOfZod(error: z.ZodError, bodyHint: string): Refusal {
  const issues = describeZodIssues(error).map((i) => ({ field: i.path, message: `${i.path}: ${i.message}` }));
  const refusal = refusalOf('invalid_request', issues);
  return { ...refusal, message: `${refusal.message}; ${bodyHint}` };
}

export const PREDICT_BODY_HINT =
  'send {"features": {"<name>": <number|string|boolean|null>, ...}, "requestKey"?: "<string>"}';
export const FEEDBACK_BODY_HINT = 'send {"requestId": "<id from the prediction answer>", "label": <number|true|false>}';
