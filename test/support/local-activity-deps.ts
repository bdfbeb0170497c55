import path from 'node:path';
import { createDataSources } from '../../src/adapters/data-sources/index.js';
import { LocalModelRegistry } from '../../src/adapters/registry/index.js';
import { SqliteServingState } from '../../src/adapters/serving-state/index.js';
import { createTrainers } from '../../src/adapters/trainers/index.js';
import type { ActivityDeps } from '../../src/activities/create-activities.js';

/**
 * The embedded adapters over one directory, laid out as a worker would (`registry/`,
 * `snapshots/`, `serving.db`, `training/`), for tests that call `createActivities` directly.
 */
export function localActivityDeps(root: string): ActivityDeps & { registry: LocalModelRegistry; servingState: SqliteServingState; close(): Promise<void> } {
  const snapshotRoot = path.join(root, 'snapshots');
  const registry = new LocalModelRegistry({ root: path.join(root, 'registry') });
  const servingState = new SqliteServingState({ path: path.join(root, 'serving.db') });
  return {
    registry,
    servingState,
    snapshotRoot,
    dataSources: createDataSources({ snapshotRoot }),
    trainers: createTrainers({ workRoot: path.join(root, 'training') }),
    async close() {
      registry.close();
      await servingState.close();
    },
  };
}
