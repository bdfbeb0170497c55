import { FlywheelClient } from '../../src/clients/flywheel-client.js';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalModelRegistry } from '../../src/adapters/registry/index.js';
import { SqliteServingState } from '../../src/adapters/serving-state/index.js';
import { loadModelSpec } from '../../src/adapters/spec-loader.js';
import { alertWebhook, TemporalAlertSink } from '../../src/alerts/index.js';
import { createGateway } from '../../src/serving/index.js';
import { flywheelWorkflowId, MODEL_FLYWHEEL_WORKFLOW, statusQuery } from '../../src/contracts/model-flywheel.js';
import { cycleWorkflowId, TRAINING_CYCLE_WORKFLOW } from '../../src/contracts/training-cycle.js';
import type { FlywheelStatus } from '../../src/domain/flywheel/flywheel-state.js';
import { classifier, registerModel } from '../unit/serving/gateway-fixture.js';
import { fixtureForModel } from '../fixtures/alertmanager/refused-payloads.js';
import { devServerEnv } from '../support/dev-server-env.js';
import { startTestWorkers } from '../support/test-workers.js';
import { bundleWorkflows } from '../workflows/helpers/bundle.js';

const SPEC = fileURLToPath(new URL('../../examples/fraud-sea.yaml', import.meta.url));
const TOKEN = `token-${randomUUID()}`;

/**
 * What `flywheel up` runs, in one process: the gateway with the alert webhook mounted on
 * the same server, a real flywheel worker on the dev server. A recorded Alertmanager v4
 * notification starts a retraining cycle whose trigger is the drift alert.
 */
describe('gateway + alert webhook on one server, real flywheel (dev server)', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  let app: FastifyInstance;
  let base: string;
  let root: string;
  let registry: LocalModelRegistry;
  let state: SqliteServingState;
  const taskQueue = `gateway-e2e-${randomUUID().slice(0, 8)}`;
  const model = `fraud-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    [env, bundle] = await Promise.all([devServerEnv(), bundleWorkflows()]);
    root = await mkdtemp(join(tmpdir(), 'gateway-e2e-'));
    registry = new LocalModelRegistry({ root: join(root, 'registry') });
    state = new SqliteServingState({ path: join(root, 'serving.db') });
    const v1 = await registerModel(registry, model, classifier(1.5), 'c1');
    await state.setRouting(model, { championVersion: v1.version });
    app = createGateway({ registry, routing: state, predictionLog: state }, { processMetrics: false });
    await app.register(alertWebhook, {
      sink: new TemporalAlertSink(new FlywheelClient(env.client, { taskQueue })),
      auth: { bearerToken: TOKEN },
    });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    for (const id of [cycleWorkflowId(model, 1), flywheelWorkflowId(model)]) {
      await env?.client.workflow
        .getHandle(id)
        .terminate('gateway e2e done')
        .catch(() => undefined);
    }
    await app?.close();
    registry?.close();
    await state?.close();
    await env?.teardown();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('serves predictions and turns an Alertmanager drift alert into a training cycle', async () => {
    const predicted = await fetch(`${base}/v1/models/${model}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"features":{"x":2}}',
    });
    expect(predicted.status).toBe(200);
    expect(await predicted.json()).toMatchObject({ prediction: 1, version: 1 });

    const loaded = await loadModelSpec(SPEC);
    const spec = { ...loaded, id: model, trigger: { ...loaded.trigger, debounceMs: 500 } };
    // No activity worker: the cycle starts and waits at its first activity, which is all this test needs.
    const worker = await startTestWorkers(env, { taskQueue, bundle });
    await worker.runUntil(async () => {
      const flywheel = await env.client.workflow.start(MODEL_FLYWHEEL_WORKFLOW, {
        workflowId: flywheelWorkflowId(model),
        taskQueue,
        args: [{ modelId: model, spec }],
      });
      const alerted = await fetch(`${base}/v1/alerts/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: fixtureForModel(model),
      });
      expect(alerted.status).toBe(202);
      // Cycle 1 starts from the drift alert. It may already have ended when the poll looks (its light
      // steps are local activities now), so it is read from the flywheel's in-flight or recent cycles.
      const cycleOne = (s: FlywheelStatus) =>
        s.inFlight?.cycle === 1
          ? { workflowId: s.inFlight.workflowId, trigger: s.inFlight.trigger.primary }
          : s.recentCycles
              .filter((c) => c.cycle === 1)
              .map((c) => ({ workflowId: c.workflowId, trigger: c.trigger }))[0];
      await expect
        .poll(async () => cycleOne(await flywheel.query(statusQuery.definition)), { timeout: 30_000, interval: 250 })
        .toEqual({ workflowId: cycleWorkflowId(model, 1), trigger: 'drift' });
      const status = await flywheel.query(statusQuery.definition);
      // Both firing alerts reached the flywheel; the 0.27 one is below the spec's 0.3 drift floor.
      expect(status.triggerCounts).toMatchObject({ received: 2, accepted: 1, ignored: 1 });
      expect(status.cyclesStarted).toBe(1);
      const cycle = await env.client.workflow.getHandle(cycleWorkflowId(model, 1)).describe();
      expect(cycle.type).toBe(TRAINING_CYCLE_WORKFLOW);
    });
  });
});
