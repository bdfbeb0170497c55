import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import type { NativeConnection, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createSmokeActivities } from '../../src/activities/smoke.js';
import { WorkerRole } from '../../src/workers/activity-roles.js';
import { startWorkers } from '../../src/workers/start-workers.js';
import { bundleWorkflows } from '../workflows/helpers/bundle.js';
import { testWorkerConfig } from './test-workers.js';

const SMOKE_WORKFLOWS = fileURLToPath(new URL('../../src/workflows/smoke/index.ts', import.meta.url));

/** Bundles the smoke workflows (do it once per file, in beforeAll). */
export async function bundleSmokeWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflows(SMOKE_WORKFLOWS);
}

/** A unique id per test, so tests never see each other's workflows or task queues. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** Starts a smoke worker on its own task queue; run the test with `worker.runUntil(...)`. */
export async function createSmokeWorker(
  connection: NativeConnection,
  namespace: string,
  bundle: WorkflowBundleWithSourceMap,
) {
  const taskQueue = uniqueId('smoke-tq');
  const worker = await startWorkers({
    config: testWorkerConfig({ namespace }, { orchestrationTaskQueue: taskQueue }),
    deps: { connection, activities: createSmokeActivities({ greeting: 'Hello' }), workflowBundle: bundle },
    roles: [WorkerRole.orchestration],
  });
  return { worker, taskQueue };
}
