import { z } from 'zod';
import { isoTimeSchema, modelIdSchema, versionNumberSchema } from './ids.js';

/**
 * Where a model's traffic goes. The champion takes `1 - canary.weight`; the shadow
 * version scores a copy of every request but its answer is never returned.
 */
export const routingSpecSchema = z
  .object({
    championVersion: versionNumberSchema,
    canary: z.object({ version: versionNumberSchema, weight: z.number().min(0).max(1) }).optional(),
    shadowVersion: versionNumberSchema.optional(),
  })
  .strict()
  .refine((r) => r.canary === undefined || r.canary.version !== r.championVersion, {
    message: 'canary.version must differ from championVersion',
    path: ['canary', 'version'],
  });

export const routingTableSchema = z.object({
  modelId: modelIdSchema,
  championVersion: versionNumberSchema,
  canary: z.object({ version: versionNumberSchema, weight: z.number().min(0).max(1) }).optional(),
  shadowVersion: versionNumberSchema.optional(),
  /** Increments on every write; pass it back as `expectedRevision` for compare-and-set. */
  revision: z.number().int().min(1),
  updatedAt: isoTimeSchema,
});

export type RoutingSpec = z.infer<typeof routingSpecSchema>;
export type RoutingTable = z.infer<typeof routingTableSchema>;
