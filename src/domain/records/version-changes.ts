import { z } from 'zod';
import { versionNumberSchema } from './ids.js';
import { approvalRecordSchema, rolloutOutcomeSchema } from './model-version.js';
import { versionEventSchema } from './version-lifecycle.js';

/**
 * One write to the registry's record of a version, as a step of a training cycle makes it:
 * the approval answer, how the rollout ended, or a lifecycle event. A step's writes go to
 * the registry together (`recordVersionChanges`), in the order given.
 */
export const versionChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('approval'), version: versionNumberSchema, approval: approvalRecordSchema }),
  z.object({ kind: z.literal('rolloutOutcome'), version: versionNumberSchema, outcome: rolloutOutcomeSchema }),
  z.object({
    kind: z.literal('event'),
    version: versionNumberSchema,
    event: versionEventSchema,
    /** Who established the fact: every lifecycle event in a cycle's record names one. */
    by: z.string().min(1),
    reason: z.string().optional(),
  }),
]);
export type VersionChange = z.input<typeof versionChangeSchema>;
export type ParsedVersionChange = z.output<typeof versionChangeSchema>;

/**
 * The writes of one step. At most one lifecycle event per version: a retry runs the whole
 * list again, and an event re-applied to a version that already has its stage changes
 * nothing, but one re-applied after a later event of the same version moved it on would be
 * an illegal transition (approved after rolloutStarted). Two events of one version are two calls.
 */
export const versionChangesSchema = z
  .array(versionChangeSchema)
  .min(1, 'changes must name at least one write')
  .superRefine((changes, ctx) => {
    const seen = new Set<number>();
    changes.forEach((c, i) => {
      if (c.kind !== 'event') return;
      if (seen.has(c.version))
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [i, 'event'],
          message: `a second lifecycle event of v${c.version} in one call: a retry could not re-apply both; send it in a call of its own`,
        });
      seen.add(c.version);
    });
  });
