import { z } from 'zod';
import { ReferenceAfterPromotionSchema } from '../monitor/drift-reference.js';

/** The model spec's `monitor` section: how the production monitor judges the model. */
export const monitorPolicySchema = z
  .object({
    /**
     * What drift is measured against once a champion has replaced another: its training
     * reference (`championTraining`, default) or the features logged in its first drift
     * window in service (`recentProduction`). See domain/monitor/drift-reference.ts.
     */
    referenceAfterPromotion: ReferenceAfterPromotionSchema.default('championTraining'),
  })
  .strict();
export type MonitorPolicy = z.infer<typeof monitorPolicySchema>;
