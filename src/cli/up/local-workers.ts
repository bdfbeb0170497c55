import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { Activities } from '../../activities/create-activities.js';
import { createFlywheelClientActivities } from '../../schedules/flywheel-client-activities.js';
import type { WorkerConfig } from '../../workers/worker-config.js';

const WORKFLOWS = fileURLToPath(new URL('./up-workflows.ts', import.meta.url));

export interface LocalWorkers {
  /** Settles when both workers have stopped (rejects if one failed). */
  done: Promise<void>;
  /** Asks the workers still running to drain, then waits for them. */
  stop(): Promise<void>;
}

/**
 * The two workers of a deployment in this process, tuned like the standalone ones
 * (src/workers, same CT_* variables): the orchestration queue gets the workflows (plus the
 * production monitor) and the light activities, the training queue gets `trainModel`.
 */
export async function startLocalWorkers(o: { connection: NativeConnection; client: Client; config: WorkerConfig; activities: Activities }): Promise<LocalWorkers> {
  const { trainModel, ...light } = o.activities;
  const c = o.config;
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
