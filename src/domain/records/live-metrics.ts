import { z } from 'zod';
import { modelIdSchema, versionNumberSchema } from './ids.js';

/** A window of the prediction log for one version: what rollout guards and monitors read. */
export const liveMetricsQuerySchema = z
  .object({
    modelId: modelIdSchema,
    version: versionNumberSchema.optional(),
    fromMs: z.number().int().min(0),
    toMs: z.number().int().min(0),
    /** Also count the window's predictions per gateway replica ({@link LiveMetrics.servedBy}). */
    servedBy: z.boolean().optional(),
  })
  .refine((q) => q.toMs >= q.fromMs, { message: 'toMs must be >= fromMs', path: ['toMs'] });

export interface LiveMetrics {
  /** Predictions logged in the window (errors included). */
  readonly count: number;
  /** Share of logged requests that failed (0 when count is 0). */
  readonly errorRate: number;
  /** p95 of logged latency over successful predictions; null when there were none. */
  readonly p95LatencyMs: number | null;
  /** Predictions whose label has arrived. */
  readonly labeledCount: number;
  /** Accuracy over labeled predictions (classification); undefined when none are labeled. */
  readonly accuracy?: number;
  /** Mean absolute error over labeled predictions (regression); undefined when none are labeled. */
  readonly mae?: number;
  /** Shadow copies of this version in the window that could be compared with the served answer. */
  readonly shadowCount?: number;
  /** Share of those shadow predictions equal to the served one (classification); undefined without shadow copies. */
  readonly agreement?: number;
  /**
   * Predictions in the window per gateway replica that answered them (rows logged with a
   * replica id), when the query asked for it: the rollout does, so its recorded judgement
   * shows which replicas' traffic it judged.
   */
  readonly servedBy?: Readonly<Record<string, number>>;
}

export type LiveMetricsQuery = z.infer<typeof liveMetricsQuerySchema>;
