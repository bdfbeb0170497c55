import { z } from 'zod';

/** Which routing slot answered a request; shadow copies are scored and logged but never returned. */
export const Arm = { champion: 'champion', canary: 'canary', shadow: 'shadow' } as const;
export type Arm = (typeof Arm)[keyof typeof Arm];

/** A feature value as requests carry it and the log stores it. */
export type FeatureValue = number | string | boolean | null;

/**
 * One line of the prediction log: written by the gateway for every answered request (and
 * its shadow copy), read back by the rollout guards and the monitor. The one shape for
 * both sides of the serving-state port; `arm` is stored in the table's `role` column.
 */
export const predictionLogEntrySchema = z.object({
  requestId: z.string().min(1),
  modelId: z.string().min(1),
  version: z.number().int().min(1),
  arm: z.enum([Arm.champion, Arm.canary, Arm.shadow]).default(Arm.champion),
  features: z.record(z.union([z.number(), z.string(), z.boolean(), z.null()])),
  /** 0/1 for a classifier, the value for regression; null when the request failed. */
  prediction: z.number().nullable(),
  probability: z.number().min(0).max(1).nullable().optional(),
  latencyMs: z.number().min(0),
  atMs: z.number().int().min(0),
  /** Error message when the prediction failed. */
  error: z.string().optional(),
  /** Out-of-range values scored under the spec's `serving.outOfRange: scoreAndFlag` (stored as JSON). */
  flags: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  /** The gateway replica that answered (its CT_GATEWAY_REPLICA_ID), so a log shared by replicas says who served what. */
  replica: z.string().min(1).max(200).optional(),
});
export type PredictionLogEntry = z.input<typeof predictionLogEntrySchema>;
