import type { ModelSpec } from '../../domain/model-spec/model-spec.js';
import { CsvDataSource } from './csv-data-source.js';
import type { DataSource } from './port.js';
import type { BuildProfile } from './reference-profile.js';
import { SyntheticDataSource } from './synthetic-data-source.js';

export * from './errors.js';
export * from './port.js';
export {
  readSnapshotManifest,
  readSnapshotTable,
  SNAPSHOT_FILES,
  type SnapshotManifest,
  type SnapshotSplit,
} from './snapshot-store.js';
export { CsvDataSource } from './csv-data-source.js';
export { SyntheticDataSource } from './synthetic-data-source.js';

/** Every data source kind, keyed by the spec's `dataSource.kind`. */
export type DataSources = { readonly [K in ModelSpec['dataSource']['kind']]: DataSource };

/** The embedded data sources over one snapshot root (e.g. `.data/snapshots`). */
export function createDataSources(options: {
  snapshotRoot: string;
  baseDir?: string;
  buildProfile?: BuildProfile;
}): DataSources {
  return { synthetic: new SyntheticDataSource(options), csv: new CsvDataSource(options) };
}
