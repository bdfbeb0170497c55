import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { createDataSources } from '../../src/adapters/data-sources/index.js';
import { LocalModelRegistry } from '../../src/adapters/registry/index.js';
import { SqliteServingState } from '../../src/adapters/serving-state/index.js';
import { createTrainers } from '../../src/adapters/trainers/index.js';
import { createActivities, type ActivityDeps } from '../../src/activities/create-activities.js';

type Activities = ReturnType<typeof createActivities>;

/**
 * The embedded adapters over one directory, laid out as a worker would (`registry/`,
 * `snapshots/`, `serving.db`, `training/`), for tests that call `createActivities` directly.
 */
export function localActivityDeps(
  root: string,
): ActivityDeps & { registry: LocalModelRegistry; servingState: SqliteServingState; close(): Promise<void> } {
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

/**
 * A fresh directory of embedded adapters and their activities for every test of the file
 * (beforeEach/afterEach registered here), removed afterwards. Read `deps` and `acts` inside
 * a test: they change from test to test.
 */
export function useLocalActivities(prefix: string): {
  readonly deps: ReturnType<typeof localActivityDeps>;
  readonly acts: Activities;
} {
  let root = '';
  let current: { deps: ReturnType<typeof localActivityDeps>; acts: Activities } | undefined;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), prefix));
    const deps = localActivityDeps(root);
    current = { deps, acts: createActivities(deps) };
  });
  afterEach(async () => {
    await current?.deps.close();
    current = undefined;
    await rm(root, { recursive: true, force: true });
  });
  const now = () => {
    if (!current) throw new Error('useLocalActivities: read deps and acts inside a test, not at collection time');
    return current;
  };
  return {
    get deps() {
      return now().deps;
    },
    get acts() {
      return now().acts;
    },
  };
}
