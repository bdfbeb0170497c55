import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities/create-activities.js';
import { createDataActivities } from '../../src/activities/data-activities.js';
import { createMonitorActivities } from '../../src/activities/monitor-activities.js';
import { createTrainingActivities } from '../../src/activities/training-activities.js';
import { createDataSources } from '../../src/adapters/data-sources/index.js';
import type { LocalModelRegistry } from '../../src/adapters/registry/index.js';
import type { SqliteServingState } from '../../src/adapters/serving-state/index.js';
import { createTrainers } from '../../src/adapters/trainers/index.js';
import { TaskQueue } from '../../src/domain/task-queues.js';

const WORKFLOWS = fileURLToPath(new URL('./demo-workflows.ts', import.meta.url));

export interface DemoWorkers {
  /** Resolves when both workers have stopped. */
  stop(): Promise<void>;
}

/**
 * The two workers of a deployment, in this process: `ct-orchestration` (workflows, light
 * activities, the monitor's check) and `ct-training` (training, one at a time). They share
 * the demo's adapters, as separate worker processes would share the data directory.
 */
export async function startDemoWorkers(opts: {
  address: string;
  namespace: string;
  dataDir: string;
  registry: LocalModelRegistry;
  servingState: SqliteServingState;
}): Promise<DemoWorkers> {
  const connection = await NativeConnection.connect({ address: opts.address });
  const snapshotRoot = path.join(opts.dataDir, 'snapshots');
  const deps = {
    registry: opts.registry,
    servingState: opts.servingState,
    snapshotRoot,
    dataSources: createDataSources({ snapshotRoot }),
    trainers: createTrainers({ workRoot: path.join(opts.dataDir, 'training') }),
  };
  const orchestration = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: TaskQueue.orchestration,
    workflowsPath: WORKFLOWS,
    activities: { ...createActivities(deps), ...createDataActivities(deps), ...createMonitorActivities(deps) },
  });
  const training = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: TaskQueue.training,
    activities: createTrainingActivities(deps),
    maxConcurrentActivityTaskExecutions: 1,
  });
  const running = Promise.all([orchestration.run(), training.run()]);
  return {
    async stop() {
      orchestration.shutdown();
      training.shutdown();
      await running;
      await connection.close();
    },
  };
}
