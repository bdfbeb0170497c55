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
import { flywheelSpecSource } from '../../src/workers/flywheel-spec-source.js';
import { LINEAR_MODEL_FORMAT } from '../../src/domain/model-format/linear-model.js';
import { createGateway } from '../../src/serving/index.js';
import { flywheelWorkflowId, MODEL_FLYWHEEL_WORKFLOW, updatePolicyUpdate } from '../../src/contracts/model-flywheel.js';
import { registerModel } from '../unit/serving/gateway-fixture.js';
import { devServerEnv } from '../support/dev-server-env.js';
import { startTestWorkers } from '../support/test-workers.js';
import { bundleWorkflows } from '../workflows/helpers/bundle.js';

const SPEC = fileURLToPath(new URL('../../examples/fraud-sea.yaml', import.meta.url));

/**
 * The gateway as `flywheel up` wires it: requests are checked against the spec the model's
 * flywheel holds (its `status` query), and a spec update reaches the checks without a
 * restart. Real flywheel on the dev server, real gateway, registry and SQLite.
 */
describe('gateway checks requests against the spec its flywheel holds (dev server)', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  let app: FastifyInstance;
  let root: string;
  let registry: LocalModelRegistry;
  let state: SqliteServingState;
  const taskQueue = `gateway-spec-${randomUUID().slice(0, 8)}`;
  const model = `fraud-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    [env, bundle] = await Promise.all([devServerEnv(), bundleWorkflows()]);
    root = await mkdtemp(join(tmpdir(), 'gateway-spec-'));
    registry = new LocalModelRegistry({ root: join(root, 'registry') });
    state = new SqliteServingState({ path: join(root, 'serving.db') });
    const features = ['f1', 'f2', 'f3'].map((name) => ({ name, kind: 'numeric' as const, mean: 5, std: 3, weight: 1 }));
    const v1 = await registerModel(
      registry,
      model,
      {
        format: LINEAR_MODEL_FORMAT,
        task: 'binaryClassification',
        label: 'is_fraud',
        features,
        intercept: 0,
        metadata: {},
      },
      'c1',
    );
    await state.setRouting(model, { championVersion: v1.version });
    app = createGateway(
      {
        registry,
        routing: state,
        predictionLog: state,
        specs: flywheelSpecSource(new FlywheelClient(env.client, { taskQueue })),
      },
      { processMetrics: false, specRefreshMs: 200 },
    );
    await app.ready();
  });
  afterAll(async () => {
    await env?.client.workflow
      .getHandle(flywheelWorkflowId(model))
      .terminate('gateway spec e2e done')
      .catch(() => undefined);
    await app?.close();
    registry?.close();
    await state?.close();
    await env?.teardown();
    if (root) await rm(root, { recursive: true, force: true });
  });

  const predict = async (features: Record<string, unknown>) => {
    const res = await app.inject({ method: 'POST', url: `/v1/models/${model}/predict`, payload: { features } });
    return { status: res.statusCode, json: res.json<Record<string, unknown>>() };
  };

  it('refuses what the spec does not allow, and follows updatePolicy to score and flag instead', async () => {
    const spec = { ...(await loadModelSpec(SPEC)), id: model };
    const worker = await startTestWorkers(env, { taskQueue, bundle });
    await worker.runUntil(async () => {
      const flywheel = await env.client.workflow.start(MODEL_FLYWHEEL_WORKFLOW, {
        workflowId: flywheelWorkflowId(model),
        taskQueue,
        args: [{ modelId: model, spec }],
      });

      const empty = await predict({});
      expect(empty).toMatchObject({ status: 400, json: { error: 'invalid_request', field: 'features.f1' } });
      expect(String(empty.json.message)).toMatch(/^features\.f1: required feature is missing/);
      const high = await predict({ f1: 50, f2: 1, f3: 1 });
      expect(high).toMatchObject({ status: 400, json: { error: 'out_of_range', field: 'features.f1' } });
      expect((await predict({ f1: 5, f2: 1, f3: 1 })).status).toBe(200);

      await flywheel.executeUpdate(updatePolicyUpdate.definition, {
        args: [
          {
            spec: { ...spec, serving: { outOfRange: 'scoreAndFlag' } },
            by: 'e2e',
            reason: 'score out-of-range values',
          },
        ],
      });
      await expect
        .poll(async () => (await predict({ f1: 50, f2: 1, f3: 1 })).json, { timeout: 10_000, interval: 100 })
        .toMatchObject({
          flags: [{ field: 'features.f1', message: expect.stringContaining('50 is above the maximum 10') }],
        });
    });
  });
});
