import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities, type Activities } from '../../activities/create-activities.js';
import { createDataSources } from '../../adapters/data-sources/index.js';
import type { LocalModelRegistry } from '../../adapters/registry/index.js';
import type { SqliteServingState } from '../../adapters/serving-state/index.js';
import { createTrainers } from '../../adapters/trainers/index.js';
import { createFlywheelClientActivities } from '../../schedules/flywheel-client-activities.js';
import { dataLayout } from '../../workers/build-activities.js';
import { TRAINING_HEARTBEAT_THROTTLE } from '../../workers/training-heartbeats.js';
import { WorkerConfigSchema, type WorkerConfig } from '../../workers/worker-config.js';

const WORKFLOWS = fileURLToPath(new URL('./up-workflows.ts', import.meta.url));

export interface LocalWorkers {
  /** Settles when both workers have stopped (rejects if one failed). */
  done: Promise<void>;
  /** Asks the workers still running to drain, then waits for them. */
  stop(): Promise<void>;
}

interface Common {
  connection: NativeConnection;
  client: Client;
}
/** Either tuned workers over ready activities (`flywheel up`), or default tuning over adapters the caller owns (the demo). */
export type LocalWorkersOptions =
  | (Common & { config: WorkerConfig; activities: Activities })
  | (Common & { namespace: string; dataDir: string; registry: LocalModelRegistry; servingState: SqliteServingState });

function normalize(o: LocalWorkersOptions): { config: WorkerConfig; activities: Activities } {
  if ('config' in o) return o;
  const layout = dataLayout(o.dataDir);
  const config = { ...WorkerConfigSchema.parse({ dataDir: o.dataDir }), connection: { address: '', namespace: o.namespace } };
  const activities = createActivities({
    registry: o.registry,
    servingState: o.servingState,
    snapshotRoot: layout.snapshotRoot,
    dataSources: createDataSources({ snapshotRoot: layout.snapshotRoot }),
    trainers: createTrainers({ workRoot: layout.trainRoot }),
  });
  return { config, activities };
}

/**
 * The two workers of a deployment in this process, tuned like the standalone ones
 * (src/workers, same CT_* variables): the orchestration queue gets the workflows (plus the
 * production monitor) and the light activities, the training queue gets `trainModel`.
 */
export async function startLocalWorkers(o: LocalWorkersOptions): Promise<LocalWorkers> {
  const { config: c, activities } = normalize(o);
  const { trainModel, ...light } = activities;
  const orchestration = await Worker.create({
    connection: o.connection,
    namespace: c.connection.namespace,
    taskQueue: c.orchestrationTaskQueue,
    workflowsPath: WORKFLOWS,
    activities: { ...light, ...createFlywheelClientActivities({ client: o.client, flywheelTaskQueue: c.orchestrationTaskQueue }) },
    maxConcurrentWorkflowTaskExecutions: c.maxWorkflowTasks,
    maxConcurrentActivityTaskExecutions: c.maxOrchestrationActivities,
    maxCachedWorkflows: c.maxCachedWorkflows,
    shutdownGraceTime: c.shutdownGraceMs,
  });
  const training = await Worker.create({
    connection: o.connection,
    namespace: c.connection.namespace,
    taskQueue: c.trainingTaskQueue,
    activities: { trainModel },
    maxConcurrentActivityTaskExecutions: c.maxTrainingActivities,
    maxHeartbeatThrottleInterval: TRAINING_HEARTBEAT_THROTTLE,
    shutdownGraceTime: c.shutdownGraceMs,
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
