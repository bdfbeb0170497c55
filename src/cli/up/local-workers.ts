import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities } from '../../activities/create-activities.js';
import { createDataSources } from '../../adapters/data-sources/index.js';
import type { LocalModelRegistry } from '../../adapters/registry/index.js';
import type { SqliteServingState } from '../../adapters/serving-state/index.js';
import { createTrainers } from '../../adapters/trainers/index.js';
import { TaskQueue } from '../../domain/task-queues.js';
import { createFlywheelClientActivities } from '../../schedules/flywheel-client-activities.js';

const WORKFLOWS = fileURLToPath(new URL('./up-workflows.ts', import.meta.url));

export interface LocalWorkers {
  /** Settles when both workers have stopped (rejects if one failed). */
  done: Promise<void>;
  /** Asks the workers still running to drain, then waits for them. */
  stop(): Promise<void>;
}

/**
 * The two workers of a deployment in this process: `ct-orchestration` (workflows and light
 * activities, including the client activity schedules use) and `ct-training` (training, one
 * at a time), over the adapters of one data directory.
 */
export async function startLocalWorkers(o: {
  connection: NativeConnection;
  client: Client;
  namespace: string;
  dataDir: string;
  registry: LocalModelRegistry;
  servingState: SqliteServingState;
}): Promise<LocalWorkers> {
  const snapshotRoot = path.join(o.dataDir, 'snapshots');
  const activities = createActivities({
    registry: o.registry,
    servingState: o.servingState,
    snapshotRoot,
    dataSources: createDataSources({ snapshotRoot }),
    trainers: createTrainers({ workRoot: path.join(o.dataDir, 'training') }),
  });
  const orchestration = await Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: TaskQueue.orchestration,
    workflowsPath: WORKFLOWS,
    activities: { ...activities, ...createFlywheelClientActivities({ client: o.client }) },
  });
  const training = await Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: TaskQueue.training,
    activities: { trainModel: activities.trainModel },
    maxConcurrentActivityTaskExecutions: 1,
  });
  const running = Promise.all([orchestration.run(), training.run()]).then(() => undefined);
  return {
    done: running,
    async stop() {
      // The SDK's runtime already starts a graceful shutdown on SIGINT/SIGTERM; only ask workers still running.
      for (const worker of [orchestration, training]) if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}
