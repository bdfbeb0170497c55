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
