import { z } from 'zod';

/**
 * What the serving gateway does with a feature value the spec's `min`/`max` or
 * `allowedValues` do not allow. `refuse` answers 400 naming the field; `scoreAndFlag`
 * answers with the model's prediction and a `flags` list, and records the flags in the
 * prediction log, for models where a best-effort answer beats none.
 */
export const OutOfRangePolicy = { refuse: 'refuse', scoreAndFlag: 'scoreAndFlag' } as const;
export type OutOfRangePolicy = (typeof OutOfRangePolicy)[keyof typeof OutOfRangePolicy];

/** The spec's `serving` block: how the gateway treats requests for this model. */
export const servingPolicySchema = z
  .object({
    outOfRange: z.enum([OutOfRangePolicy.refuse, OutOfRangePolicy.scoreAndFlag]).default(OutOfRangePolicy.refuse),
  })
  .strict();
export type ServingPolicy = z.infer<typeof servingPolicySchema>;
