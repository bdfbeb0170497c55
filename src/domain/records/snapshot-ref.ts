import { z } from 'zod';

/**
 * Reference to an immutable dataset snapshot on disk (see src/adapters/data-sources/snapshot-format.md). Small and
 * JSON: this is what crosses the wire between activities, never the rows themselves.
 */
export const snapshotRefSchema = z
  .object({
    /** `<modelId>-<first 16 hex of sha256>`: the same content always gets the same id. */
    snapshotId: z.string().min(1),
    /** sha256 over the train and held-out files and the schema (see snapshot-format.md). */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    rowCount: z.number().int().nonnegative(),
    trainRows: z.number().int().nonnegative(),
    heldOutRows: z.number().int().nonnegative(),
    /** Absolute path of the snapshot directory. */
    path: z.string().min(1),
    /** Absolute path of the reference profile (JSON) stored beside the data. */
    profilePath: z.string().min(1),
  })
  .strict();
export type SnapshotRef = z.infer<typeof snapshotRefSchema>;
