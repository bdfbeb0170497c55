import type { Client } from '@temporalio/client';
import type { NativeConnection, WorkflowBundleOption } from '@temporalio/worker';
import { WorkerRole, type WorkerActivities } from '../../src/workers/activity-roles.js';
import { startWorkers, type RunningWorkers } from '../../src/workers/start-workers.js';
import { workerRunConfig, type WorkerRunConfig } from '../../src/workers/worker-config.js';

/**
 * The run config of a test's workers (for `startWorkers`): its own queues on the shared
 * server, the standalone workers' tuning, and no grace period, so workers stop as soon as the
 * test is done (the SDK's default) instead of giving running activities the deployment's 30 s.
 */
export function testWorkerConfig(
  env: { namespace?: string | undefined },
  queues: { orchestrationTaskQueue: string; trainingTaskQueue?: string },
  tuning: { maxTrainingActivities?: number; maxCachedWorkflows?: number } = {},
): WorkerRunConfig {
  return workerRunConfig(env.namespace ?? 'default', { shutdownGraceMs: 1, ...queues, ...tuning });
}

export interface TestWorkersOptions {
  /** The orchestration queue (workflows and light activities). */
  taskQueue: string;
  /** The training queue; give it to run a training worker in this process too. */
  trainingTaskQueue?: string;
  /** Workflow code bundled once per file. */
  bundle: WorkflowBundleOption;
  activities?: Partial<WorkerActivities>;
  overrides?: Partial<WorkerActivities>;
  /** Register the activities that act as a client (a schedule's signal-with-start) over this one. */
  client?: Client;
}

/**
 * A test's workers through the one production `startWorkers`, on the env's connection: the
 * orchestration worker, plus a training worker when `trainingTaskQueue` is given. Run the test
 * with `workers.runUntil(...)` or stop them with `workers.stop()`.
 */
export function startTestWorkers(
  env: { nativeConnection: NativeConnection; namespace?: string | undefined },
  o: TestWorkersOptions,
): Promise<RunningWorkers> {
  return startWorkers({
    config: testWorkerConfig(env, {
      orchestrationTaskQueue: o.taskQueue,
      ...(o.trainingTaskQueue ? { trainingTaskQueue: o.trainingTaskQueue } : {}),
    }),
    deps: {
      connection: env.nativeConnection,
      workflowBundle: o.bundle,
      activities: o.activities,
      overrides: o.overrides,
      client: o.client,
    },
    roles: o.trainingTaskQueue ? [WorkerRole.orchestration, WorkerRole.training] : [WorkerRole.orchestration],
  });
}
