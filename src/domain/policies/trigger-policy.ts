import { z } from 'zod';
import { DurationSchema } from '../duration.js';
import { HarmPolicySchema } from './harm-policy.js';

/** What can ask the flywheel for a retrain. */
export const TriggerKind = {
  schedule: 'schedule',
  drift: 'drift',
  performance: 'performance',
  newData: 'newData',
  manual: 'manual',
} as const;
export type TriggerKind = (typeof TriggerKind)[keyof typeof TriggerKind];
export const TriggerKindSchema = z.enum(['schedule', 'drift', 'performance', 'newData', 'manual']);

/**
 * Minimum score for a trigger kind to count. Drift: alert severity (0..1);
 * performance: observed degradation of the watched metric (e.g. 0.03 = 3 points);
 * newData: number of new labelled rows. Schedule and manual triggers have no floor.
 */
export const TriggerFloorsSchema = z
  .object({
    drift: z.number().min(0).default(0.3),
    performance: z.number().min(0).default(0.02),
    newData: z.number().min(0).default(1000),
  })
  .strict();

export const RetrainBudgetSchema = z
  .object({
    maxCycles: z.number().int().positive().default(4),
    windowMs: DurationSchema.default('24h'),
  })
  .strict();

/** When a trigger becomes a training cycle. Every field has a default. */
export const TriggerPolicySchema = z
  .object({
    /** Alerts arriving within this window after the first are gathered into one decision. */
    debounceMs: DurationSchema.default('5m'),
    floors: TriggerFloorsSchema.default({}),
    /** After a cycle ends, non-manual triggers wait this long. */
    cooldownMs: DurationSchema.default('1h'),
    budget: RetrainBudgetSchema.default({}),
    /** When an input-drift alert is likely to hurt and may start a cycle; otherwise it is recorded as benign. */
    harm: HarmPolicySchema.default({}),
  })
  .strict();

export type TriggerPolicy = z.infer<typeof TriggerPolicySchema>;
export type TriggerPolicyInput = z.input<typeof TriggerPolicySchema>;

export const DEFAULT_TRIGGER_POLICY: TriggerPolicy = TriggerPolicySchema.parse({});
