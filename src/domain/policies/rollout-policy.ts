import { z } from 'zod';
import { DurationSchema } from '../duration.js';

export const RolloutStrategy = {
  direct: 'direct',
  blueGreen: 'blueGreen',
  canary: 'canary',
  shadow: 'shadow',
} as const;
export type RolloutStrategy = (typeof RolloutStrategy)[keyof typeof RolloutStrategy];

export const ThinTrafficAction = { rollback: 'rollback', promote: 'promote', pause: 'pause' } as const;
export type ThinTrafficAction = (typeof ThinTrafficAction)[keyof typeof ThinTrafficAction];

/** One canary step: `weight` percent of live traffic (1..100) to the candidate for `bakeMs`. */
export const CanaryStepSchema = z
  .object({
    weight: z.number().gt(0).max(100),
    bakeMs: DurationSchema.default('30m'),
  })
  .strict();
export type CanaryStep = z.infer<typeof CanaryStepSchema>;

/** Limits checked on the candidate's live metrics at the end of each bake. */
export const RolloutGuardsSchema = z
  .object({
    /** Fewer predictions than this means traffic is too thin to judge. */
    minSamples: z.number().int().min(0).default(100),
    maxErrorRate: z.number().min(0).max(1).default(0.02),
    maxP95LatencyMs: z.number().positive().default(250),
    /** Online accuracy may trail the champion's by at most this, once labels arrive. */
    maxAccuracyDrop: z.number().min(0).max(1).default(0.02),
    /** Labelled outcomes needed before accuracy is compared. */
    minLabeled: z.number().int().min(0).default(30),
  })
  .strict();
export type RolloutGuards = z.infer<typeof RolloutGuardsSchema>;

/** What to do when a bake ends with too few samples. */
export const ThinTrafficSchema = z
  .object({
    /** How many times a bake may be extended (each by the step's own bake time). */
    maxExtensions: z.number().int().min(0).default(3),
    /** Optional cap on the total bake of a step, extensions included. */
    maxBakeMs: DurationSchema.optional(),
    onExhausted: z.enum(['rollback', 'promote', 'pause']).default('pause'),
  })
  .strict();
export type ThinTraffic = z.infer<typeof ThinTrafficSchema>;

const common = {
  guards: RolloutGuardsSchema.default({}),
  thinTraffic: ThinTrafficSchema.default({}),
};

export const DEFAULT_CANARY_STEPS = [
  { weight: 5, bakeMs: '30m' },
  { weight: 25, bakeMs: '1h' },
  { weight: 100, bakeMs: '30m' },
] as const;

export const RolloutPolicySchema = z.discriminatedUnion('strategy', [
  z.object({ strategy: z.literal('direct'), ...common }).strict(),
  z.object({ strategy: z.literal('blueGreen'), bakeMs: DurationSchema.default('30m'), ...common }).strict(),
  z
    .object({
      strategy: z.literal('canary'),
      steps: z
        .array(CanaryStepSchema)
        .min(1, 'canary needs at least one step')
        .default([...DEFAULT_CANARY_STEPS]),
      ...common,
    })
    .strict(),
  z
    .object({
      strategy: z.literal('shadow'),
      /** The candidate sees mirrored traffic only, for this long. */
      durationMs: DurationSchema.default('1h'),
      /** Share of mirrored predictions where candidate and champion must agree. */
      minAgreement: z.number().min(0).max(1).default(0.9),
      /** Optional canary steps after a passing shadow phase; none means a direct switch. */
      steps: z.array(CanaryStepSchema).default([]),
      ...common,
    })
    .strict(),
]);

export type RolloutPolicy = z.infer<typeof RolloutPolicySchema>;
export type RolloutPolicyInput = z.input<typeof RolloutPolicySchema>;

export const DEFAULT_ROLLOUT_POLICY: RolloutPolicy = RolloutPolicySchema.parse({ strategy: 'canary' });
