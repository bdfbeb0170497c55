import type { Table } from '../../stats/table.js';
import { createRng } from '../../stats/random.js';
import { checkColumns, concatTables, type DatasetSchema } from './dataset-table.js';
import { DatasetSchemaError, DataSourceError } from './errors.js';
import type { DataSource, SnapshotRequest } from './port.js';
import type { SnapshotRef } from '../../domain/records/snapshot-ref.js';
import type { BuildProfile } from './reference-profile.js';
import { recencyKeeps } from './recency-window.js';
import { writeSplitSnapshot } from './write-split-snapshot.js';
import { createGenerator, windowSeed } from './synthetic/index.js';

export interface SyntheticDataSourceOptions {
  /** Directory snapshots are written under (e.g. `.data/snapshots`). */
  readonly snapshotRoot: string;
  readonly buildProfile?: BuildProfile;
}

/**
 * Data source over the seeded stream generators (SEA, rotating hyperplane, covariate
 * shift). A snapshot at window w holds the rows of windows w−windowsPerSnapshot+1 … w
 * (narrowed by the recency window, when the spec sets one);
 * the same spec and window always give the same rows, hence the same snapshot id.
 */
export class SyntheticDataSource implements DataSource {
  readonly kind = 'synthetic' as const;
  constructor(private readonly options: SyntheticDataSourceOptions) {}

  async snapshot({ spec, window, since }: SnapshotRequest): Promise<SnapshotRef> {
    const config = spec.dataSource;
    if (config.kind !== 'synthetic')
      throw new DataSourceError(`SyntheticDataSource cannot snapshot a "${config.kind}" data source`);
    const generator = createGenerator(config);
    const origin = `synthetic:${config.generator.name}`;
    const schema: DatasetSchema = { task: spec.task, features: spec.features, label: spec.label };
    checkColumns(new Set([...generator.features.map((f) => f.name), spec.label.name]), schema, origin);
    for (const f of spec.features) {
      const produced = generator.features.find((g) => g.name === f.name);
      if (produced && produced.type !== f.type) {
        throw new DatasetSchemaError(
          `${origin}: column "${f.name}" is ${produced.type} but the spec declares it ${f.type}`,
          origin,
          f.name,
        );
      }
    }
    const last = window ?? config.defaultWindow;
    if (!Number.isInteger(last) || last < 0)
      throw new DataSourceError(`window must be a non-negative integer, got ${String(window)}`);
    const keeps = recencyKeeps(last, 1, config.recency, since);
    const windows: number[] = [];
    for (let w = Math.max(0, last - config.windowsPerSnapshot + 1); w <= last; w++) if (keeps(w)) windows.push(w);
    const rows = concatTables(
      windows.map((w) =>
        generator.generate(w, config.rowsPerWindow, createRng(windowSeed(config.seed, w)), spec.label.name),
      ),
    );
    const table = onlySchemaColumns(rows, schema);
    return writeSplitSnapshot(this.options.snapshotRoot, {
      modelId: spec.id,
      schema,
      features: spec.features,
      table,
      heldOutFraction: config.heldOutFraction,
      splitSeed: windowSeed(config.splitSeed, last),
      buildProfile: this.options.buildProfile,
      source: { ...config, windows, concept: generator.conceptAt(last) },
    });
  }
}

function onlySchemaColumns(table: Table, schema: DatasetSchema): Table {
  const names = [...schema.features.map((f) => f.name), schema.label.name];
  const columns = Object.fromEntries(names.filter((n) => table.columns[n]).map((n) => [n, table.columns[n]!]));
  return { rowCount: table.rowCount, columns };
}
