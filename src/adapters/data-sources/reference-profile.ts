import type { FeatureSchema } from '../../domain/features.js';
import type { Table } from '../../stats/table.js';

/** Builds the reference profile stored beside a snapshot (the baseline later drift checks compare against). */
export type BuildProfile = (table: Table, features: FeatureSchema) => unknown;

/** Interim profile until src/stats/drift/reference-profile.ts lands: row count and per-column summaries. */
export const defaultBuildProfile: BuildProfile = (table, features) => ({
  rowCount: table.rowCount,
  features: features.map((f) => ({ name: f.name, type: f.type })),
});
