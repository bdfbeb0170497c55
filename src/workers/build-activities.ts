import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createDataSources } from '../adapters/data-sources/index.js';
import { LocalModelRegistry, MlflowModelRegistry, type ModelRegistry } from '../adapters/registry/index.js';
import { SqliteServingState } from '../adapters/serving-state/index.js';
import { createTrainers } from '../adapters/trainers/index.js';
import { createActivities } from '../activities/create-activities.js';
import type { RegistryConfig } from '../config/registry-config.js';

/** The default on-disk layout under the data dir. */
export function dataLayout(dataDir: string) {
  return {
    registryRoot: join(dataDir, 'registry'),
    snapshotRoot: join(dataDir, 'snapshots'),
    servingDb: join(dataDir, 'serving.db'),
    trainRoot: join(dataDir, 'train'),
  };
}

/** What {@link buildActivities} returns: the activities and the adapters under them (the demo reads its local registry). */
export interface BuiltAdapters<R extends ModelRegistry & { close(): void } = ModelRegistry & { close(): void }> {
  activities: ReturnType<typeof createActivities>;
  registry: R;
  servingState: SqliteServingState;
  close(): Promise<void>;
}

/** The registry the config names: the local one under the data dir (default) or a MLflow tracking server. */
function buildRegistry(config: RegistryConfig, registryRoot: string): ModelRegistry & { close(): void } {
  return config.kind === 'mlflow'
    ? new MlflowModelRegistry({ trackingUri: config.trackingUri })
    : new LocalModelRegistry({ root: registryRoot });
}

/**
 * Builds every adapter over the data dir (and the registry the config names) and the
 * activities on top. Returns a `close` for the resources that hold handles (the SQLite serving state).
 */
export function buildActivities(dataDir: string): BuiltAdapters<LocalModelRegistry>;
export function buildActivities(dataDir: string, registryConfig: RegistryConfig): BuiltAdapters;
export function buildActivities(dataDir: string, registryConfig: RegistryConfig = { kind: 'local' }): BuiltAdapters {
  const layout = dataLayout(dataDir);
  mkdirSync(dataDir, { recursive: true });
  const registry = buildRegistry(registryConfig, layout.registryRoot);
  const servingState = new SqliteServingState({ path: layout.servingDb });
  const activities = createActivities({
    registry,
    servingState,
    dataSources: createDataSources({ snapshotRoot: layout.snapshotRoot }),
    trainers: createTrainers({ workRoot: layout.trainRoot }),
    snapshotRoot: layout.snapshotRoot,
  });
  return { activities, registry, servingState, close: () => servingState.close() };
}
