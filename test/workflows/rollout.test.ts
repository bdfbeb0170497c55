import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalModelRegistry } from '../../src/adapters/registry/index.js';
import { SqliteServingState } from '../../src/adapters/serving-state/index.js';
import { createServiceabilityActivities } from '../../src/activities/serviceability-activities.js';
import { createServingActivities } from '../../src/activities/serving-activities.js';
import { RolloutPolicySchema, type RolloutPolicyInput } from '../../src/domain/policies/rollout-policy.js';
import {
  abortRolloutSignal,
  rolloutStatusQuery,
  type RolloutInput,
  type RolloutResult,
} from '../../src/contracts/rollout.js';
import type { rollout } from '../../src/workflows/rollout/rollout-workflow.js';
import { registerTwoLinearVersions } from '../support/linear-versions.js';
import { uniqueId } from '../support/smoke-worker.js';
import { startTestWorkers } from '../support/test-workers.js';
import { timeSkippingEnv } from '../support/time-skipping-env.js';
import { bundleWorkflows } from './helpers/bundle.js';
import { Traffic } from './helpers/traffic.js';
import { resultReader } from './helpers/wait-for.js';
import { waitFor } from '../support/wait-for.js';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let dir: string;
let serving: SqliteServingState;
/** The rollout checks that the candidate loads and scores before giving it traffic: v1 and v2 are real artifacts. */
let registry: LocalModelRegistry;
let traffic: Traffic;
/** Rollouts started by the current test; terminated afterwards so a failed test leaves nothing behind. */
const started: string[] = [];

beforeAll(async () => {
  env = await timeSkippingEnv();
  bundle = await bundleWorkflows();
});
afterAll(async () => {
  await env?.teardown();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ct-rollout-'));
  serving = new SqliteServingState({ path: join(dir, 'serving.db') });
  registry = new LocalModelRegistry({ root: join(dir, 'registry') });
  traffic = new Traffic(serving, () => ({ count: 200, errorRate: 0, latencyMs: 5, accuracy: 0.9 }));
});
afterEach(async () => {
  await Promise.all(
    started.splice(0).map((id) =>
      env.client.workflow
        .getHandle(id)
        .terminate('test cleanup')
        .catch(() => undefined),
    ),
  );
  await serving.close();
  registry.close();
  rmSync(dir, { recursive: true, force: true });
});

const canary: RolloutPolicyInput = {
  strategy: 'canary',
  steps: [
    { weight: 5, bakeMs: '30m' },
    { weight: 25, bakeMs: '1h' },
    { weight: 100, bakeMs: '30m' },
  ],
  guards: { minSamples: 50, maxErrorRate: 0.02, maxP95LatencyMs: 100, maxAccuracyDrop: 0.05, minLabeled: 20 },
  thinTraffic: { maxExtensions: 2, onExhausted: 'rollback' },
};

async function withWorker<T>(fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = uniqueId('rollout-tq');
  const activities = createServingActivities({ servingState: serving });
  const worker = await startTestWorkers(env, {
    taskQueue,
    bundle,
    activities: { ...activities, ...createServiceabilityActivities({ registry, servingState: serving }) },
    overrides: {
      // Production traffic arrives during the bake; written just before it is read.
      readLiveMetrics: async (q: Parameters<typeof activities.readLiveMetrics>[0]) => {
        await traffic.fill(q.modelId, q.version, q.fromMs, q.toMs);
        return activities.readLiveMetrics(q);
      },
    },
  });
  return worker.runUntil(fn(taskQueue));
}

/** Starts, moves time past every bake, reads the result with a plain client (see resultReader). */
async function runRollout(taskQueue: string, modelId: string, policy: RolloutPolicyInput = canary) {
  const handle = await startRollout(taskQueue, modelId, policy);
  await env.sleep('6h');
  return resultReader(env)<RolloutResult>(handle.workflowId);
}

async function startRollout(taskQueue: string, modelId: string, policy: RolloutPolicyInput = canary) {
  await registerVersions(modelId);
  await serving.setRouting(modelId, { championVersion: 1 });
  const input: RolloutInput = {
    modelId,
    candidateVersion: 2,
    championVersion: 1,
    policy: RolloutPolicySchema.parse(policy),
  };
  const workflowId = uniqueId(`flywheel:${modelId}:cycle:1:rollout`);
  started.push(workflowId);
  return env.client.workflow.start<typeof rollout>('rollout', { taskQueue, workflowId, args: [input] });
}

describe('rollout workflow', () => {
  it('walks the canary steps on bake timers and promotes when the guards hold', async () => {
    const modelId = 'canary-ok';
    const result = await withWorker((tq) => runRollout(tq, modelId));
    expect(result.outcome).toBe('promoted');
    const judged = result.steps.filter((s) => s.action === 'advance' || s.action === 'promote');
    expect(judged.map((s) => s.phase)).toEqual(['canary 5% for 30m', 'canary 25% for 1h', 'canary 100% for 30m']);
    const history = await serving.routingHistory(modelId);
    expect(history.map((r) => r.canary?.weight ?? null)).toEqual([null, 0.05, 0.25, 1, null]);
    expect(await serving.getRouting(modelId)).toMatchObject({ championVersion: 2 });
    expect((await serving.getRouting(modelId))?.canary).toBeUndefined();
    // The bakes were durable timers: 2 h of (skipped) workflow time passed from start to promotion.
    const start = result.steps.find((s) => s.action === 'start')!;
    expect(judged[2]!.at - start.at).toBeGreaterThanOrEqual(2 * 3_600_000);
  });

  it('rolls back when the candidate breaches the error-rate guard, and says why', async () => {
    const modelId = 'canary-errors';
    traffic.scenario = (v) => (v === 2 ? { count: 200, errorRate: 0.1 } : { count: 200 });
    const result = await withWorker((tq) => runRollout(tq, modelId));
    expect(result.outcome).toBe('rolledBack');
    expect(result.reason).toMatch(/canary 5% for 30m: error rate 10% exceeds 2%/);
    const routing = await serving.getRouting(modelId);
    expect(routing).toMatchObject({ championVersion: 1 });
    expect(routing?.canary).toBeUndefined();
  });

  it('rolls back when online accuracy trails the champion by more than the tolerance', async () => {
    const modelId = 'canary-accuracy';
    traffic.scenario = (v) => ({ count: 200, accuracy: v === 2 ? 0.7 : 0.9 });
    const result = await withWorker((tq) => runRollout(tq, modelId));
    expect(result.outcome).toBe('rolledBack');
    expect(result.reason).toMatch(/online accuracy 70% trails the champion's 90% by 20%/);
    expect((await serving.getRouting(modelId))?.championVersion).toBe(1);
  });

  it('extends the bake on thin traffic, then applies onExhausted', async () => {
    const modelId = 'canary-thin';
    traffic.scenario = () => ({ count: 5 });
    const result = await withWorker((tq) => runRollout(tq, modelId));
    expect(result.steps.filter((s) => s.action === 'extend')).toHaveLength(2);
    expect(result.outcome).toBe('rolledBack');
    expect(result.reason).toMatch(
      /only 15 predictions after 1h30m \(need 50\), extensions exhausted: thinTraffic.onExhausted is rollback/,
    );
    expect((await serving.getRouting(modelId))?.canary).toBeUndefined();
  });

  it('restores the champion routing when cancelled mid-bake', async () => {
    const modelId = 'canary-cancel';
    await withWorker(async (tq) => {
      const handle = await startRollout(tq, modelId);
      await waitFor(async () => (await serving.getRouting(modelId))?.canary?.weight === 0.05, {
        describe: 'the 5% canary routing',
        timeoutMs: 30_000,
      });
      await handle.cancel();
      const err = await resultReader(env)(handle.workflowId).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
    });
    const routing = await serving.getRouting(modelId);
    expect(routing).toMatchObject({ championVersion: 1 });
    expect(routing?.canary).toBeUndefined();
  });

  it('checks the candidate again before every weight step: tampered during the 5% bake, it never reaches 25%', async () => {
    const modelId = 'canary-tampered-mid-rollout';
    const result = await withWorker(async (tq) => {
      const handle = await startRollout(tq, modelId);
      await waitFor(async () => (await serving.getRouting(modelId))?.canary?.weight === 0.05, {
        describe: 'the 5% canary routing',
        timeoutMs: 30_000,
      });
      await flipOneByte(modelId, 2);
      await env.sleep('6h');
      return resultReader(env)<RolloutResult>(handle.workflowId);
    });
    expect(result.outcome).toBe('rolledBack');
    // The reason's wording is checked once, on the cycle report (serviceability.test.ts).
    expect(result.unservable).toMatchObject({ kind: 'artifact integrity', phase: 'before canary 25% for 1h' });
    expect(result.steps.at(-1)?.reason).toMatch(
      /^before canary 25% for 1h: candidate cannot be served: artifact integrity: artifact .* is corrupt or tampered/,
    );
    const weights = (await serving.routingHistory(modelId)).map((r) => r.canary?.weight ?? null);
    expect(weights).toEqual([null, 0.05, null]);
  });

  it('a first model that cannot be served is never routed', async () => {
    const modelId = 'first-model-tampered';
    const result = await withWorker(async (taskQueue) => {
      await registerVersions(modelId);
      await flipOneByte(modelId, 2);
      const input: RolloutInput = {
        modelId,
        candidateVersion: 2,
        championVersion: null,
        policy: RolloutPolicySchema.parse(canary),
      };
      const workflowId = uniqueId(`flywheel:${modelId}:cycle:1:rollout`);
      started.push(workflowId);
      await env.client.workflow.start<typeof rollout>('rollout', { taskQueue, workflowId, args: [input] });
      return resultReader(env)<RolloutResult>(workflowId);
    });
    expect(result).toMatchObject({
      outcome: 'rolledBack',
      reason: 'candidate cannot be served: artifact integrity',
      unservable: { phase: 'before serving the first model' },
    });
    expect(await serving.getRouting(modelId)).toBeNull();
  });

  it('abortRollout restores the champion; a malformed abort is dropped and counted', async () => {
    const modelId = 'canary-abort';
    const result = await withWorker(async (tq) => {
      const handle = await startRollout(tq, modelId);
      await waitFor(async () => (await serving.getRouting(modelId))?.canary?.weight === 0.05, {
        describe: 'the 5% canary routing',
        timeoutMs: 30_000,
      });
      await handle.signal(abortRolloutSignal.definition, { reason: 'no by' } as never);
      expect((await handle.query(rolloutStatusQuery.definition)).rejectedInputs).toBe(1);
      await handle.signal(abortRolloutSignal.definition, { by: 'ana', reason: 'pager fired' });
      return resultReader(env)<RolloutResult>(handle.workflowId);
    });
    expect(result.outcome).toBe('aborted');
    expect(result.reason).toBe('aborted by ana during canary 5% for 30m: pager fired');
    expect((await serving.getRouting(modelId))?.canary).toBeUndefined();
  });
});

/** Registers v1 and v2 of `modelId` as real (intact) linear models. */
const registerVersions = (modelId: string) => registerTwoLinearVersions(registry, modelId);

/** Changes one byte (a digit) of a registered version's blob: still a valid model, the wrong sha256. */
async function flipOneByte(modelId: string, version: number): Promise<void> {
  const { artifact } = await registry.getVersion(modelId, version);
  const file = join(dir, 'registry', 'blobs', 'sha256', artifact.sha256.slice(0, 2), artifact.sha256);
  const bytes = readFileSync(file);
  const at = bytes.findIndex((b) => b >= 0x31 && b <= 0x38);
  bytes[at] = bytes[at]! + 1;
  writeFileSync(file, bytes);
}
