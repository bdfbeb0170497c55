import type { FeatureSchema } from '../../domain/features.js';
import { buildReferenceProfile } from '../../stats/drift/reference-profile.js';
import type { Table } from '../../stats/table.js';

/** Builds the reference profile stored beside a snapshot (the baseline later drift checks compare against). */
export type BuildProfile = (table: Table, features: FeatureSchema) => unknown;

const hasValue = (table: Table, name: string): boolean => {
  const column = table.columns[name];
  if (!column) return false;
  return column.kind === 'numeric'
    ? column.values.some((v) => !Number.isNaN(v))
    : column.values.some((v) => v !== null);
};

/**
 * Profiles the feature columns of the training rows (not the label: serving windows have
 * no labels to compare). A column with no values at all is left out rather than failing
 * the snapshot: the data-quality check reports it with a clearer message.
 */
export const defaultBuildProfile: BuildProfile = (table, features) =>
  buildReferenceProfile(table, { columns: features.map((f) => f.name).filter((name) => hasValue(table, name)) });
