import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ChildServer } from '../../scripts/lib/child-server.js';
import { startDedicatedDevServer } from '../support/dev-server-env.js';
import { bundleSmokeWorkflows, createSmokeWorker, uniqueId } from '../support/smoke-worker.js';

// How to test continue-as-new without 4,096 events: a dedicated dev server with the
// suggestion threshold lowered. (The Java time-skipping server suggests it only at its
// fixed default of 4,096 events; it has no dynamic config.)
describe('continue-as-new suggestion on a dedicated dev server', () => {
  let server: ChildServer & { namespace: string };
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    server = await startDedicatedDevServer({ 'limit.historyCount.suggestContinueAsNew': 40 });
    env = await TestWorkflowEnvironment.createFromExistingServer({
      address: server.address,
      namespace: server.namespace,
    });
  });
  afterAll(async () => {
    await env?.teardown();
    await server?.stop();
  });

  it('suggests continue-as-new once the history passes the lowered threshold', async () => {
    const { worker, taskQueue } = await createSmokeWorker(
      env.nativeConnection,
      server.namespace,
      await bundleSmokeWorkflows(),
    );
    const result = await worker.runUntil(
      env.client.workflow.execute('smokeHistoryGrowth', { args: [200], taskQueue, workflowId: uniqueId('smoke-can') }),
    );
    expect(result.continueAsNewSuggested).toBe(true);
    expect(result.historyLength).toBeGreaterThanOrEqual(40);
    expect(result.historyLength).toBeLessThan(80);
  });
});
