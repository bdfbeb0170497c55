import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CycleReport } from '../../src/domain/flywheel/cycle-report.js';
import {
  LINEAR_MODEL_FORMAT,
  serializeLinearModel,
  type LinearModel,
} from '../../src/domain/model-format/linear-model.js';
import { RolloutPolicySchema, type RolloutPolicyInput } from '../../src/domain/policies/rollout-policy.js';
import { createGateway } from '../../src/serving/create-gateway.js';
import { retrainRequestedSignal } from '../../src/contracts/model-flywheel.js';
import type { RolloutInput } from '../../src/contracts/rollout.js';
import type { rollout } from '../../src/workflows/rollout/rollout-workflow.js';
import { approveUpdate, cycleStatusQuery, cycleWorkflowId } from '../../src/contracts/training-cycle.js';
import { devServerEnv } from '../support/dev-server-env.js';
import { sampleLineage } from '../support/sample-lineage.js';
import { uniqueId } from '../support/smoke-worker.js';
import { bundleWorkflows } from './helpers/bundle.js';
import { Harness } from './helpers/harness.js';
import { recordHistory } from './helpers/record-history.js';
import { stopFlywheel, waitFor } from './helpers/wait-for.js';

/**
 * Issue #16 F4 on the dev server (real time, so the gateway's clock and the rollout's bake
 * windows agree): a candidate the serving runtime cannot load must never take traffic, and
 * a candidate the gateway refuses is a guard breach, not thin traffic. Real activities over
 * the local registry and SQLite serving state, and a real gateway answering a steady load.
 */
let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let h: Harness;
let gateway: FastifyInstance | undefined;
/** Load generators of the current test, stopped before the gateway closes whatever the test's fate. */
let loads: { stop(): Promise<unknown> }[] = [];

beforeAll(async () => {
  env = await devServerEnv();
  bundle = await bundleWorkflows();
});
afterAll(async () => {
  await env?.teardown();
});
beforeEach(() => {
  h = new Harness(env, bundle);
  loads = [];
});
afterEach(async () => {
  await Promise.all(loads.map((l) => l.stop()));
  await gateway?.close();
  gateway = undefined;
  await h.close();
});

const ANA = 'ana@example.com';

/**
 * The incident's policy: short real-time bakes, and thin traffic that promotes when the
 * extensions run out, so counting only logged predictions would walk a refused candidate
 * to 100 %.
 */
const thinPromotes: RolloutPolicyInput = {
  strategy: 'canary',
  steps: [
    { weight: 10, bakeMs: '2s' },
    { weight: 50, bakeMs: '2s' },
    { weight: 100, bakeMs: '2s' },
  ],
  guards: { minSamples: 100_000, maxErrorRate: 0.02, maxP95LatencyMs: 500, maxAccuracyDrop: 0.05, minLabeled: 50 },
  thinTraffic: { maxExtensions: 0, onExhausted: 'promote' },
};

/** A real gateway over the harness's registry and serving state, as `flywheel up` builds it. */
async function startGateway(): Promise<string> {
  gateway = createGateway(
    { registry: h.registry, routing: h.serving, predictionLog: h.serving, loadFailures: h.serving },
    { routingRefreshMs: 50, artifactRetryMs: 100, processMetrics: false },
  );
  return gateway.listen({ host: '127.0.0.1', port: 0 });
}

/** Sends predictions one after another until stopped; counts answers by status (0: no answer at all). */
function steadyLoad(base: string, modelId: string, features: Record<string, number>) {
  const statuses = new Map<number, number>();
  let running = true;
  const done = (async () => {
    while (running) {
      let status = 0;
      try {
        const res = await fetch(`${base}/v1/models/${modelId}/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ features }),
        });
        await res.arrayBuffer();
        status = res.status;
      } catch {
        // counted as status 0
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const load = {
    /** Stops sending (idempotent) and returns the tally. */
    async stop() {
      running = false;
      await done;
      const total = [...statuses.values()].reduce((a, b) => a + b, 0);
      return { total, failed: total - (statuses.get(200) ?? 0), statuses: Object.fromEntries(statuses) };
    },
  };
  loads.push(load);
  return load;
}

/** Changes one byte of a stored blob (one digit of the JSON), keeping it a valid model: only the sha256 can tell. */
async function flipOneByte(sha256: string): Promise<void> {
  const path = join(h.dir, 'registry', 'blobs', 'sha256', sha256.slice(0, 2), sha256);
  const bytes = Buffer.from(await readFile(path));
  const at = bytes.findIndex((b, i) => b >= 0x31 && b <= 0x38 && i > bytes.indexOf('"weight"'));
  expect(at).toBeGreaterThan(0);
  bytes[at] = bytes[at]! + 1;
  await writeFile(path, bytes);
}

describe('integrity and serviceability gate the rollout (F4)', () => {
  it('a candidate tampered while it waits for approval rolls back before any traffic, with no failed request', async () => {
    const modelId = uniqueId('fraud').toLowerCase();
    const spec = h.spec(modelId, {
      approval: { mode: 'manual', approvers: [ANA], timeoutMs: '72h', onTimeout: 'reject' },
      rollout: thinPromotes,
    });
    const champion = await h.seedChampion(spec);
    const base = await startGateway();
    const load = steadyLoad(base, modelId, { f1: 5, f2: 5, f3: 1 });
    // The real prediction log, not the synthetic traffic the time-skipping tests write.
    const report = await h.run(
      async () => {
        const flywheel = await h.flywheels().start(spec);
        await flywheel.signal(retrainRequestedSignal.definition, { requestedBy: 'bob', reason: 'new quarter' });
        const cycleId = cycleWorkflowId(modelId, 1);
        const cycle = env.client.workflow.getHandle(cycleId);
        const status = await waitFor(
          async () => {
            const s = await cycle.query(cycleStatusQuery.definition);
            return s.approval.pending && s;
          },
          'the approval step',
          120_000,
        );
        const candidate = await h.registry.getVersion(modelId, status.candidateVersion!);
        await flipOneByte(candidate.artifact.sha256);
        await cycle.executeUpdate(approveUpdate.definition, { args: [{ cycleId, by: ANA, comment: 'ship it' }] });
        const r = (await cycle.result()) as CycleReport;
        await recordHistory(env.client, `${cycleId}:rollout`, 'rollout-candidate-unservable');
        await recordHistory(env.client, cycleId, 'cycle-candidate-unservable');
        await stopFlywheel(flywheel);
        await new Promise((r) => setTimeout(r, 300)); // a routing refresh after the end, still under load
        return r;
      },
      { readLiveMetrics: h.activities.readLiveMetrics },
    );
    const counted = await load.stop();

    expect(report.outcome).toBe('rolledBack');
    expect(report.reason).toBe('candidate cannot be served: artifact integrity');
    const rolloutStep = report.steps.find((s) => s.step === 'rollout');
    expect(rolloutStep).toMatchObject({ status: 'failed' });
    expect(rolloutStep?.detail).toMatch(/^candidate cannot be served: artifact integrity: .*corrupt or tampered/);
    // Before any traffic: the routing table never named the candidate.
    const history = await h.serving.routingHistory(modelId);
    expect(history.every((t) => t.championVersion === champion && t.canary === undefined)).toBe(true);
    const v = await h.registry.getVersion(modelId, report.candidateVersion!);
    expect(v.stage).toBe('rolled_back');
    expect(v.rollout?.reasons).toEqual([report.reason]);
    expect(counted.total).toBeGreaterThan(20);
    expect(counted).toMatchObject({ failed: 0 });
  });

  it('a candidate the gateway refuses during a canary is a guard breach, never thin traffic', async () => {
    const modelId = uniqueId('churn').toLowerCase();
    h.spec(modelId); // registers the id for cleanup
    const v1 = await register(modelId, 2, 'c1');
    const v2 = await register(modelId, -2, 'c2');
    await h.serving.setRouting(modelId, { championVersion: v1.version });
    const base = await startGateway();
    const result = await h.run(
      async () => {
        const input: RolloutInput = {
          modelId,
          candidateVersion: v2.version,
          championVersion: v1.version,
          policy: RolloutPolicySchema.parse({
            ...thinPromotes,
            steps: [
              { weight: 50, bakeMs: '3s' },
              { weight: 100, bakeMs: '2s' },
            ],
          }),
        };
        const handle = await env.client.workflow.start<typeof rollout>('rollout', {
          taskQueue: h.taskQueue,
          workflowId: `flywheel:${modelId}:cycle:1:rollout`,
          args: [input],
        });
        // The candidate was intact when checked; it is tampered after it got its share and
        // before the gateway first loaded it, so only the gateway can notice.
        await waitFor(
          async () => (await h.serving.getRouting(modelId))?.canary?.version === v2.version,
          'the 50% canary',
        );
        await flipOneByte(v2.sha256);
        const load = steadyLoad(base, modelId, { x: 1 });
        const r = await handle.result();
        await recordHistory(env.client, handle.workflowId, 'rollout-candidate-refused');
        return { r, served: await load.stop() };
      },
      { readLiveMetrics: h.activities.readLiveMetrics },
    );
    expect(result.r.outcome).toBe('rolledBack');
    expect(result.r.unservable).toMatchObject({ kind: 'artifact integrity', phase: 'canary 50% for 3s' });
    expect(result.r.steps.at(-1)?.reason).toMatch(
      /^canary 50% for 3s: candidate cannot be served: artifact integrity: the gateway refused v2 \d+ times?/,
    );
    expect(await h.serving.getRouting(modelId)).toMatchObject({ championVersion: v1.version });
    expect((await h.serving.getRouting(modelId))?.canary).toBeUndefined();
    expect(result.served.total).toBeGreaterThan(5);
    expect(result.served).toMatchObject({ failed: 0 });
  });
});

async function register(modelId: string, slope: number, cycle: string): Promise<{ version: number; sha256: string }> {
  const model: LinearModel = {
    format: LINEAR_MODEL_FORMAT,
    task: 'binaryClassification',
    label: 'y',
    features: [{ name: 'x', kind: 'numeric', mean: 0, std: 1, weight: slope }],
    intercept: 0,
    metadata: {},
  };
  const ref = await h.registry.putArtifact(new TextEncoder().encode(serializeLinearModel(model)));
  const { version } = await h.registry.registerVersion({
    modelId,
    cycleId: cycle,
    artifactSha256: ref.sha256,
    lineage: sampleLineage(),
  });
  return { version: version.version, sha256: ref.sha256 };
}
