import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createDataSources } from '../adapters/data-sources/index.js';
import { openModelRegistry, type RegistryChoice } from '../adapters/registry/index.js';
import { openServingState } from '../adapters/serving-state/open-serving-state.js';
import type { ServingStateConfig } from '../config/serving-state-config.js';
import { createTrainers } from '../adapters/trainers/index.js';
import { createActivities } from '../activities/create-activities.js';
import type { FindingExporter } from '../metrics/monitor-metrics.js';

/** The default on-disk layout under the data dir. */
export function dataLayout(dataDir: string) {
  return {
    registryRoot: join(dataDir, 'registry'),
    snapshotRoot: join(dataDir, 'snapshots'),
    servingDb: join(dataDir, 'serving.db'),
    trainRoot: join(dataDir, 'train'),
  };
}

/**
 * Builds every adapter over the data dir and the activities on top. Returns a `close`
 * for the resources that hold handles (the serving state's file or connection pool; it is
 * `<dataDir>/serving.db` unless `servingStateConfig` names PostgreSQL). The registry is the
 * local one under the data dir unless the config names another (`CT_REGISTRY=mlflow`).
 * `findings` exports the monitor's findings (the worker's metrics registry).
 */
export function buildActivities(
  dataDir: string,
  registryChoice: RegistryChoice = { kind: 'local' },
  findings?: FindingExporter,
  servingStateConfig: ServingStateConfig = { kind: 'sqlite' },
) {
  const layout = dataLayout(dataDir);
  mkdirSync(dataDir, { recursive: true });
  const registry = openModelRegistry(registryChoice, layout.registryRoot);
  const servingState = openServingState(
    servingStateConfig.kind === 'postgres' ? servingStateConfig : { kind: 'sqlite', path: layout.servingDb },
  );
  const activities = createActivities({
    registry,
    servingState,
    dataSources: createDataSources({ snapshotRoot: layout.snapshotRoot }),
    trainers: createTrainers({ workRoot: layout.trainRoot }),
    snapshotRoot: layout.snapshotRoot,
    ...(findings ? { findings } : {}),
  });
  return { activities, registry, servingState, close: () => servingState.close() };
}
