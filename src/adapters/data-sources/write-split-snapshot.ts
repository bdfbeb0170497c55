import type { FeatureSchema } from '../../domain/features.js';
import type { Table } from '../../stats/table.js';
import { takeRows, type DatasetSchema } from './dataset-table.js';
import type { SnapshotRef } from '../../domain/records/snapshot-ref.js';
import { defaultBuildProfile, type BuildProfile } from './reference-profile.js';
import { writeSnapshot } from './snapshot-store.js';
import { splitIndices } from './split.js';

export interface SplitSnapshotInput {
  readonly modelId: string;
  readonly schema: DatasetSchema;
  readonly features: FeatureSchema;
  /** All rows of the snapshot, before the train / held-out split. */
  readonly table: Table;
  readonly heldOutFraction: number;
  readonly splitSeed: number;
  readonly buildProfile?: BuildProfile;
  readonly source: Record<string, unknown>;
}

/**
 * The part every data source shares: split the rows into train and held-out with a seeded
 * split, profile the training rows (the reference later drift checks compare against),
 * and write the snapshot atomically.
 */
export async function writeSplitSnapshot(root: string, input: SplitSnapshotInput): Promise<SnapshotRef> {
  const split = splitIndices(input.table.rowCount, input.heldOutFraction, input.splitSeed);
  const train = takeRows(input.table, split.train);
  return writeSnapshot(root, {
    modelId: input.modelId,
    schema: input.schema,
    train,
    heldOut: takeRows(input.table, split.heldOut),
    profile: (input.buildProfile ?? defaultBuildProfile)(train, input.features),
    source: input.source,
  });
}
