import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createSmokeActivities } from '../../src/activities/smoke.js';

const SMOKE_WORKFLOWS = fileURLToPath(new URL('../../src/workflows/smoke/index.ts', import.meta.url));

/** Bundles the smoke workflows (do it once per file, in beforeAll). */
export async function bundleSmokeWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: SMOKE_WORKFLOWS, logger: quietBundlerLogger });
}

/** A unique id per test, so tests never see each other's workflows or task queues. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** Creates a smoke worker on its own task queue; run it with `worker.runUntil(...)`. */
export async function createSmokeWorker(connection: NativeConnection, namespace: string, bundle: WorkflowBundleWithSourceMap) {
  const taskQueue = uniqueId('smoke-tq');
  const worker = await Worker.create({
    connection,
    namespace,
    taskQueue,
    workflowBundle: bundle,
    activities: createSmokeActivities({ greeting: 'Hello' }),
  });
  return { worker, taskQueue };
}

// The bundler logs webpack progress at info; keep test output for test results.
const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => process.stderr.write(`[bundler] ${message}\n`),
  error: (message: string) => process.stderr.write(`[bundler] ${message}\n`),
};
